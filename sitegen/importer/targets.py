"""Suggested targets: numbers with a unit that is some metric's unit, given to the metric the words around them fit.

A number with a unit of metrics.yaml (a unit or one of its aliases) is a
candidate target; among the metrics of that unit, the one whose keywords
best fit the clause around the number (else its sentence) takes it. Also
每万人N名 (a density) and 零增长 (zero growth). Each target carries the
words it was read from, and the qualifier before the number (不低于, 以上 …).
"""

from __future__ import annotations

import re

from sitegen.content.model import Metric
from sitegen.importer.draft import TargetDraft

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
        """The targets the text states, in the order it states them."""
        if self.pattern is None:
            return []
        out = [t for m in self.pattern.finditer(text) if (t := self._target_at(text, m)) is not None]
        out += self._density(text, out)
        out += self._zero_growth(text)
        return out

    def _target_at(self, text: str, m: re.Match) -> TargetDraft | None:
        """The target of a number with a unit, if a metric of that unit fits the words around it."""
        if _not_a_target(text, m):
            return None
        unit = m.group("unit").replace("％", "%")
        start = max(text.rfind(c, 0, m.start()) for c in _BREAK) + 1
        end = min([i for i in (text.find(c, m.end()) for c in _BREAK) if i != -1] or [len(text)])
        metric = self._metric(unit, text[start:end])
        if metric is None:  # the clause says too little: try its sentence
            s0 = max(text.rfind(c, 0, m.start()) for c in "。；;\n") + 1
            ends = [i for i in (text.find(c, m.end()) for c in "。；;\n") if i != -1]
            metric = self._metric(unit, text[s0:min(ends or [len(text)])])
        if metric is None:
            return None
        scale = 10000 if m.group("wan") else 1
        value = _value(m.group("num")) * scale
        vmax = float(m.group("max")) * scale if m.group("max") else None
        qualifier = "以上" if m.group("above") else "余" if m.group("yu") else _qualifier(text[start:m.start()])
        return TargetDraft(metric=metric.slug, value=value, unit=_unit_of(metric, unit),
                           words=text[start:m.end()].strip(), value_max=vmax, qualifier=qualifier)

    def _density(self, text: str, found: list[TargetDraft]) -> list[TargetDraft]:
        """每万人N名: a density per 10,000 people, unless a target of that metric was found already."""
        out: list[TargetDraft] = []
        for m in re.finditer(r"每万人(?P<num>\d+|[一两二三四五])[名人]", text):
            metric = self._metric("名/万人", text)
            if metric is not None and not any(t.metric == metric.slug for t in found + out):
                out.append(TargetDraft(metric=metric.slug, value=_value(m.group("num")), unit="名/万人",
                                       words=m.group(0)))
        return out

    def _zero_growth(self, text: str) -> list[TargetDraft]:
        """零增长: 0 % for the first metric of growth in %."""
        if "零增长" not in text:
            return []
        metric = next((mt for mt in self.metrics if "增长" in mt.name and mt.unit == "%"), None)
        if metric is None:
            return []
        at = text.index("零增长")
        start = max(text.rfind(c, 0, at) for c in _BREAK) + 1
        return [TargetDraft(metric=metric.slug, value=0, unit="%", words=text[start:at + 3],
                            qualifier="保持" if "保持" in text[start:at] else None)]

    def _metric(self, unit: str, context: str) -> Metric | None:
        candidates = self.by_unit.get(unit, [])
        scored = [(sum(w for k, w in self.keywords[c.slug].items() if k in context), -i, c)
                  for i, c in enumerate(candidates)]
        scored = [sc for sc in scored if sc[0] > 0]
        if not scored:
            return None
        return max(scored, key=lambda sc: sc[:2])[2]  # ties: the metric listed first


def _not_a_target(text: str, m: re.Match) -> bool:
    """A match that is no target: a Chinese numeral before other than a small count (每半年一次),
    the tail of a longer number, or 批次 read as 次."""
    if m.group("num") in _CN_DIGITS and m.group("unit") not in ("次", "名/万人"):
        return True
    if m.start() > 0 and (text[m.start() - 1].isdigit() or text[m.start() - 1] == "."):
        return True
    unit = m.group("unit").replace("％", "%")
    return unit == "次" and text[m.start("unit") - 1:m.start("unit")] == "批"


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
