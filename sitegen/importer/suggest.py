"""`sitegen import`, suggestions: what an editor must confirm — agencies, themes, targets.

- Agencies: a responsibility clause is split into names (、 ， 及 等, and 和
  where the whole is not itself a name) and roles (the role word that ends
  each comma-separated segment; a table's 责任单位 column means 负责, its
  配合单位 column 配合). Names are resolved through the registry; a name it
  cannot resolve is kept as written and reported.
- Themes: keyword rules per theme slug, plus the terms of each theme's own
  name and description in themes.yaml; always at least one.
- Targets: numbers with a unit that is some metric's unit, assigned to the
  metric whose keywords best fit the words around them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sitegen.content.model import Metric, Theme
from sitegen.content.registry import Registry
from sitegen.importer.text import AgencyDraft, TargetDraft

# --- agencies -----------------------------------------------------------------------

# The role word that ends a segment of a clause, as the Role values of the model.
_ROLE_RE = re.compile(r"(按职责分工负责|依职责分工负责|分工负责|负责组织协调|组织协调|牵头|负责|配合|协助|参与)$")
_ROLE_OF = {"负责组织协调": "组织协调"}
_LEFTOVER = re.compile(r"(?:按照职责分工|按职责分工|依职责分工|按照职责|按职责|依职责|分工)$")
# A segment may start with the kind of unit it names (牵头单位：X；配合单位：Y): the role of that
# segment and of the ones after it, until the next such prefix or a role word.
PREFIX_ROLES = {
    "责任单位": None, "责任部门": None, "主责单位": "负责", "主责部门": "负责", "负责单位": "负责",
    "牵头单位": "牵头", "牵头部门": "牵头", "牵头": "牵头",
    "配合单位": "配合", "配合部门": "配合", "配合": "配合",
    "协办单位": "协助", "协助单位": "协助", "协作单位": "协助", "参与单位": "参与",
}
_PREFIX = re.compile("^(" + "|".join(sorted(PREFIX_ROLES, key=len, reverse=True)) + ")[:：]")


@dataclass
class AgencyReport:
    """Names the registry could not resolve, with how often and where they were written."""

    unknown: Counter = field(default_factory=Counter)
    resolved: int = 0  # names (each time written) the registry resolved
    not_understood: list[str] = field(default_factory=list)  # clauses with words left over


def parse_agencies(clause: str, default_role: str, registry: Registry, district: str,
                   report: AgencyReport) -> list[AgencyDraft]:
    s = re.sub(r"\s+", "", clause).strip("。；;，,")
    # 责任单位：X 配合单位：Y, printed with a space only: the prefix starts a segment all the same
    s = re.sub(r"(?<=[^，,；;])(?=(?:" + "|".join(p for p in PREFIX_ROLES if p.endswith(("单位", "部门")))
               + r")[:：])", "；", s)
    out: list[AgencyDraft] = []
    prefix_role = default_role
    for seg in re.split(r"[，,；;]", s):
        if p := _PREFIX.match(seg):
            prefix_role = PREFIX_ROLES[p.group(1)] or default_role
            seg = seg[p.end():]
        if not seg:
            continue
        m = _ROLE_RE.search(seg)
        role = _ROLE_OF.get(m.group(1), m.group(1)) if m else prefix_role
        names = _LEFTOVER.sub("", seg[:m.start()] if m else seg)
        if not names:
            continue
        for name, rest in split_names(names, registry, district):
            comment = None
            if rest:
                comment = f"review: words after the name not understood: “{rest}”; role taken as {role}"
            if rest or re.search(r"[:：（）()]", name):
                report.not_understood.append(clause)
            if registry.resolve(name, district) is None:
                report.unknown[name] += 1
                close = registry.suggest(name, district)
                comment = "review: unknown agency" + (f", did you mean {' or '.join(close)}?" if close else "")
            else:
                report.resolved += 1
            if not any(a.name == name and a.role == role for a in out):
                out.append(AgencyDraft(name, role, comment))
    return out


def split_names(names: str, registry: Registry, district: str) -> list[tuple[str, str]]:
    """`区食安办、农委及相关部门` -> names as written, each with any words left over after it.

    Enumeration commas split, unless a run of pieces is itself a name
    (区、街两级食安办); 及 and 等 split; 和 splits only where the whole is not a
    name but both sides are (区文化和旅游局 stays whole).
    """
    def known(n: str) -> bool:
        return registry.resolve(n, district) is not None

    tokens = [t for t in names.split("、") if t]
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            cand = "、".join(tokens[i:j])
            if known(cand):
                out.append((cand, ""))
                i = j
                break
        else:
            out.extend(_split_connectors(tokens[i], known))
            i += 1
    return out


def _split_connectors(token: str, known) -> list[tuple[str, str]]:
    if known(token):
        return [(token, "")]
    pieces = [p for p in re.split(r"及|等", token) if p]
    out: list[tuple[str, str]] = []
    for p in pieces:
        if known(p):
            out.append((p, ""))
            continue
        halves = [(p[:k], p[k + 1:]) for k, ch in enumerate(p) if ch == "和"]
        both = next(((a, b) for a, b in halves if known(a) and known(b)), None)
        if both:
            out.extend([(both[0], ""), (both[1], "")])
            continue
        prefix = next((p[:k] for k in range(len(p) - 1, 1, -1) if known(p[:k])), None)
        out.append((prefix, p[len(prefix):]) if prefix else (p, ""))
    return out


# --- themes ---------------------------------------------------------------------------

THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "leadership": ("党政同责", "属地管理", "食安委", "食安办", "食药安办", "食品安全委员会", "组织领导",
                   "工作机制", "工作规则", "责任制", "责任清单", "首要职责", "议事日程", "协调机制",
                   "两个责任", "包保", "统筹协调", "综合协调", "分析例会"),
    "assessment": ("督查", "督办", "考核", "评议", "问责", "责任追究", "约谈", "奖励", "激励", "绩效",
                   "报告食品安全工作", "联合惩戒", "督导"),
    "demonstration": ("示范城市", "示范区", "双安双创", "创城", "示范店", "示范街", "示范单位", "示范超市",
                      "示范创建", "示范园", "质量安全县", "放心"),
    "sampling": ("抽检", "抽样", "检验", "检测", "风险监测", "快检", "批次", "监测"),
    "risk-management": ("风险", "隐患", "会商", "食源性疾病", "食品安全标准", "预警", "研判", "风险评估",
                        "风险交流"),
    "source-governance": ("产地", "耕地", "土壤", "投入品", "农药", "兽药", "化肥", "种植", "养殖", "屠宰",
                          "农资", "污染", "源头"),
    "agri-products": ("食用农产品", "农产品", "粮食", "储备粮", "批发市场", "农贸市场", "肉菜", "药残",
                      "农兽药", "蔬菜", "水产品", "畜禽", "菜篮子", "粮油"),
    "production": ("生产企业", "食品生产", "小作坊", "添加剂", "生产许可", "食品工业", "生产加工", "HACCP",
                   "生产经营者", "质量提升"),
    "distribution": ("经营", "超市", "商场", "网络销售", "流通", "摊贩", "销售", "商贸", "市场准入",
                     "集中交易市场", "小卖部"),
    "catering": ("餐饮", "食堂", "明厨亮灶", "外卖", "网络订餐", "集体用餐", "配餐", "聚餐", "饭堂", "餐厨",
                 "农家院", "餐厅", "厨房"),
    "school-food": ("学校", "校园", "学生", "幼儿园", "校长", "中小学", "校外供餐"),
    "imports-cold-chain": ("进口", "出口", "进出口", "冷链", "海关", "走私", "冻品", "国门", "跨境"),
    "health-food": ("保健食品", "特殊食品", "虚假宣传", "欺诈", "传销", "直销", "养老诈骗", "识骗", "防骗"),
    "enforcement": ("打击", "专项整治", "专项治理", "整治", "查处", "案件", "违法犯罪", "行刑衔接", "执法",
                    "铁拳", "昆仑", "处罚", "假冒", "打假", "严惩", "黑名单", "公益诉讼"),
    "traceability": ("追溯", "信息化", "互联网+", "智慧", "信用", "大数据", "电子", "平台", "失信", "溯源"),
    "capacity": ("队伍", "经费", "能力建设", "培训", "检查员", "装备", "执法队伍", "人员招录", "实验室",
                 "能力"),
    "emergency": ("应急", "演练", "事故", "重大活动", "节假日", "节日", "疫情", "舆情", "值守"),
    "co-governance": ("宣传", "科普", "举报", "投诉", "协管员", "行业自律", "协会", "责任保险", "责任险",
                      "社会监督", "舆论", "媒体", "共治", "志愿", "谣言", "宣传周"),
}


class ThemeRules:
    def __init__(self, themes: tuple[Theme, ...] | list[Theme]):
        self.order = [t.slug for t in themes]
        self.rules: dict[str, set[str]] = {}
        for t in themes:
            words = set(THEME_KEYWORDS.get(t.slug, ()))
            words.add(t.name)
            if t.description:
                words.update(w for w in re.split(r"[、，,；;\s]+", t.description) if len(w) >= 2)
            self.rules[t.slug] = words

    def suggest(self, text: str, context: str = "", n: int = 3) -> list[str]:
        """Up to n theme slugs whose keywords the text uses most; never empty."""
        scores = self._score(text)
        if not scores and context:
            scores = self._score(context)
        if not scores:
            return [self.order[0]] if self.order else []
        best = max(scores.values())
        ranked = sorted(scores, key=lambda s: (-scores[s], self.order.index(s)))
        return [s for s in ranked if scores[s] >= max(2, best / 2)][:n] or ranked[:1]

    def _score(self, text: str) -> dict[str, int]:
        scores: dict[str, int] = {}
        for slug, words in self.rules.items():
            score = sum(len(w) * min(text.count(w), 2) for w in words if w in text)
            if score:
                scores[slug] = score
        return scores


# --- targets ------------------------------------------------------------------------------

METRIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "sampling-intensity": ("抽检", "检验量", "抽检量", "检验", "千人"),
    "sampling-batches": ("抽检", "检验", "抽样", "检测", "监督抽检"),
    "sampling-pass-rate": ("抽检合格率", "合格率", "抽检"),
    "failed-sample-disposal": ("核查处置", "处置率", "处置完成率"),
    "transparent-kitchen-coverage": ("明厨亮灶", "覆盖率"),
    "traceability-upload-rate": ("追溯", "上传", "达标率"),
    "coordinator-density": ("协管员", "万人"),
    "training-hours": ("培训", "学时", "小时"),
    "public-satisfaction": ("满意度",),
    "public-awareness": ("知晓率",),
    "public-support": ("支持率",),
    "nutrition-schools": ("营养与健康学校", "营养"),
    "cadre-supervision-visits": ("包保", "督导"),
    "agrochemical-use-growth": ("化肥", "农药", "增长"),
    "rapid-test-batches": ("快检", "快速检测", "速检"),
    "rapid-test-markets": ("农贸市场", "快检"),
    "producer-inspection-coverage": ("获证", "监督抽查", "生产企业"),
    "self-inspection-report-rate": ("自查", "报告率"),
    "agri-monitoring-pass-rate": ("农产品", "例行监测", "监测"),
    "grain-purchaser-inspection-rate": ("粮食收购",),
    "grain-reserve-quality-tests": ("储备粮", "质量检测"),
    "test-samples": ("样品", "抽检", "检测", "速检"),
    "agri-input-sampling": ("农药", "兽药", "饲料", "投入品", "农资"),
    "supervision-rounds": ("监督检查", "监督检测", "监督抽检", "活动"),
    "demonstration-units": ("示范", "创建", "基地"),
    "enterprise-projects": ("工程", "自检室", "追溯体系", "培育", "扶植"),
    "pest-control-area": ("统防统治", "防治", "亩"),
    "special-funding": ("资金", "经费", "投入"),
    "school-canteen-good-rating": ("量化", "良好"),
}
# Two-character words too common in metric descriptions to tell one metric from another.
_GENERIC = {"达到", "以上", "以下", "比例", "全年", "数量", "开展", "完成", "每年", "不少", "少于", "不低", "低于",
            "超过", "保持", "年度", "工作", "食品", "安全", "品安", "次数", "批次", "含食"}

QUALIFIERS = ("不少于", "不低于", "不得低于", "不小于", "不超过", "至少", "超过", "达到", "保持", "稳定在", "以内",
              "约", "达")
_CN_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBER = r"(?P<num>\d+(?:\.\d+)?|[一两二三四五六七八九十])(?:\s*(?:-|—|~|～|至|到)\s*(?P<max>\d+(?:\.\d+)?))?" \
          r"(?P<wan>万)?(?P<yu>余)?\s*(?:个)?"
_BREAK = "，。；：！？,;:!?（）()\n"


class TargetRules:
    def __init__(self, metrics: tuple[Metric, ...] | list[Metric]):
        self.metrics = list(metrics)
        self.by_unit: dict[str, list[Metric]] = {}
        for m in metrics:
            for unit in (m.unit,) + tuple(m.unit_aliases):
                self.by_unit.setdefault(unit, []).append(m)
        units = sorted(self.by_unit, key=len, reverse=True)
        alts = "|".join(re.escape(u).replace("%", "[%％]") for u in units)
        self.pattern = re.compile(_NUMBER + rf"\s*(?P<unit>{alts})(?P<above>以上)?") if units else None
        # Keywords: the hand-made ones above (weighted by length), and for every metric, also one
        # not listed above, the two-character words of its name and description that no other
        # metric of the same unit uses (weight 1): what tells it apart from its neighbours.
        self.keywords: dict[str, dict[str, int]] = {}
        words = {m.slug: _bigrams(m.name + (m.description or "")) for m in metrics}
        for m in metrics:
            others: set[str] = set()
            for unit in (m.unit,) + tuple(m.unit_aliases):
                for o in self.by_unit.get(unit, []):
                    if o.slug != m.slug:
                        others |= words[o.slug]
            kw = {w: 1 for w in words[m.slug] - others - _GENERIC}
            kw.update({k: len(k) for k in METRIC_KEYWORDS.get(m.slug, ())})
            self.keywords[m.slug] = kw

    def suggest(self, text: str) -> list[TargetDraft]:
        if self.pattern is None:
            return []
        out: list[TargetDraft] = []
        for m in self.pattern.finditer(text):
            num = m.group("num")
            if num in _CN_DIGITS and m.group("unit") not in ("次", "名/万人"):
                continue  # Chinese numerals only for small counts (每半年一次)
            if m.start() > 0 and (text[m.start() - 1].isdigit() or text[m.start() - 1] == "."):
                continue
            unit = m.group("unit").replace("％", "%")
            if unit == "次" and text[m.start("unit") - 1:m.start("unit")] == "批":
                continue
            start = max(text.rfind(c, 0, m.start()) for c in _BREAK) + 1
            end = min([i for i in (text.find(c, m.end()) for c in _BREAK) if i != -1] or [len(text)])
            context = text[start:end]
            metric = self._metric(unit, context)
            if metric is None:  # the clause says too little: try its sentence
                s0 = max(text.rfind(c, 0, m.start()) for c in "。；;\n") + 1
                ends = [i for i in (text.find(c, m.end()) for c in "。；;\n") if i != -1]
                metric = self._metric(unit, text[s0:min(ends or [len(text)])])
            if metric is None:
                continue
            value = _value(num) * (10000 if m.group("wan") else 1)
            vmax = float(m.group("max")) * (10000 if m.group("wan") else 1) if m.group("max") else None
            before = text[start:m.start()]
            qualifier = "以上" if m.group("above") else "余" if m.group("yu") else _qualifier(before)
            words = text[start:m.end()].strip()
            out.append(TargetDraft(metric=metric.slug, value=value, unit=_unit_of(metric, unit), words=words,
                                   value_max=vmax, qualifier=qualifier))
        for m in re.finditer(r"每万人(?P<num>\d+|[一两二三四五])[名人]", text):
            metric = self._metric("名/万人", text)
            if metric is not None and not any(t.metric == metric.slug for t in out):
                out.append(TargetDraft(metric=metric.slug, value=_value(m.group("num")), unit="名/万人",
                                       words=m.group(0)))
        if "零增长" in text:
            metric = next((mt for mt in self.metrics if "增长" in mt.name and mt.unit == "%"), None)
            if metric is not None:
                start = max(text.rfind(c, 0, text.index("零增长")) for c in _BREAK) + 1
                out.append(TargetDraft(metric=metric.slug, value=0, unit="%",
                                       words=text[start:text.index("零增长") + 3], qualifier="保持"
                                       if "保持" in text[start:text.index("零增长")] else None))
        return out

    def _metric(self, unit: str, context: str) -> Metric | None:
        candidates = self.by_unit.get(unit, [])
        scored = [(sum(w for k, w in self.keywords[c.slug].items() if k in context), -i, c)
                  for i, c in enumerate(candidates)]
        scored = [sc for sc in scored if sc[0] > 0]
        if not scored:
            return None
        return max(scored, key=lambda sc: sc[:2])[2]  # ties: the metric listed first


def _qualifier(before: str) -> str | None:
    """The qualifier written last before the number (不超过 rather than 超过, 达到 rather than 达)."""
    found = [(before.rfind(q) + len(q), len(q), q) for q in QUALIFIERS if q in before]
    return max(found)[2] if found else None


def _unit_of(metric: Metric, unit: str) -> str:
    return unit if unit == metric.unit or unit in metric.unit_aliases else metric.unit


def _value(num: str) -> float:
    return float(_CN_DIGITS[num]) if num in _CN_DIGITS else float(num)


def _bigrams(text: str) -> set[str]:
    """Two-character runs of Chinese characters: 食品抽检 -> 食品, 品抽, 抽检."""
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out
