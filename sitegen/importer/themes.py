"""Suggested themes for a measure: keyword rules per theme, and the words of each theme's own entry.

Each theme slug has hand-made keywords (THEME_KEYWORDS), to which the
theme's name and the terms of its description in themes.yaml are added. A
measure gets the themes whose keywords it uses most (its section's title
when its own text names none); always at least one.
"""

from __future__ import annotations

import re

from sitegen.content.model import Theme

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

