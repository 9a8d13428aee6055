"""The search test queries: what a reader types, and the page (and task) it must bring up.

Each query must show `page` among the first five results (a `page` that is the
URL of a list, such as an agency kind's, is met by any page under it) and, when `anchor` is
given, that task as one of the page's matches (a sub-result linking to
page#anchor). Recall is measured over every page containing the query
(tests/browser/search_recall.py), not just these.
"""

from __future__ import annotations

from typing import NamedTuple


class Query(NamedTuple):
    query: str
    page: str
    anchor: str | None
    why: str


QUERIES = [
    # two-character terms
    Query("抽检", "/themes/sampling/hedong/", None, "two characters; the sampling theme (one district's page)"),
    Query("冷链", "/themes/imports-cold-chain/wuqing/", None,
          "two characters; the imports and cold-chain theme (one district's page)"),
    Query("区政府", "/agencies/district-government/hongqiao/", None, "an agency's short name (alias of 区人民政府)"),
    # terms and phrases of one task
    Query("明厨亮灶", "/plans/hongqiao/2020/", "school-transparent-kitchens", "four characters no dictionary holds"),
    Query("校园食品安全", "/themes/school-food/hongqiao/", None, "a theme's name, typed as one word"),
    Query("放心肉菜超市", "/plans/futian/2023/", "trusted-supermarkets", "a task's phrase"),
    Query("小饭桌", "/plans/jizhou/2018/", "school-food-safety", "a colloquial term inside a long task"),
    Query("农药残留", "/plans/hedong/2024/", "drug-residue-campaign", "a technical term"),
    Query("进口冷链食品", "/plans/wuqing/2022/", "cold-chain-epidemic-control", "a compound across dictionary words"),
    Query("双随机", "/plans/jizhou/2018/", "risk-grading", "a policy shorthand"),
    Query("瘦肉精", "/plans/jizhou/2018/", "farming-stage-testing", "a three-character term"),
    Query("网络订餐", "/plans/hongqiao/2020/", "online-catering", "a task's subject"),
    Query("食品安全示范城市", "/plans/hongqiao/2020/", "model-city-creation", "a long phrase"),
    Query("持续完善学校食堂及校外供餐单位", "/plans/futian/2023/", "internet-transparent-kitchens",
          "a long phrase copied from a task"),
    Query("巩固学校食堂、中央厨房“明厨亮灶”建设成果", "/plans/hongqiao/2020/", "school-transparent-kitchens",
          "a sentence pasted with its punctuation (split into terms at it)"),
    # numbers
    Query("6.9", "/plans/hedong/2024/", "sampling-plan", "a decimal figure (sampling batches per thousand)"),
    Query("６.９", "/plans/hedong/2024/", "sampling-plan", "the same figure in full-width digits"),
    Query("5812", "/plans/hedong/2024/", "sampling-plan", "a count of batches"),
    Query("14800", "/plans/futian/2023/", "sampling-targets", "a count of batches"),
    # agencies: names, district spellings, aliases, former names
    Query("河东区市场监管局", "/agencies/market-regulation/hedong/", None, "an agency as its duty page names it"),
    Query("区市场监督管理局", "/agencies/market-regulation/hedong/", None, "an alias no plan uses"),
    Query("区市场和质量监管局", "/agencies/market-regulation/jizhou/", None, "a former name"),
    # every district's 食安办 holds the name equally (tasks are searched on plan pages only)
    Query("区食品安全委员会办公室", "/agencies/food-safety-office/", None, "the full name of 食安办: its duty pages"),
    Query("区食药安办", "/agencies/food-safety-office/futian/", None, "a name used in one district"),
    Query("公安蓟州分局", "/agencies/public-security/jizhou/", None, "a district's police branch"),
    # districts
    Query("武清区", "/plans/wuqing/2022/", None, "a district's name"),
    Query("蓟州区", "/plans/jizhou/2018/", None, "a district's name"),
    Query("福田区", "/plans/futian/2023/", None, "a district's name"),
    Query("红桥区", "/plans/hongqiao/2020/", None, "a district's name"),
    Query("河东区", "/plans/hedong/2024/", None, "a district's name"),
    # several terms
    Query("抽检 河东区", "/plans/hedong/2024/", None, "two terms: both must be on the page"),
]
