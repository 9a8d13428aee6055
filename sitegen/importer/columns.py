"""A table plan's columns, recognised by meaning: which column holds the number, the task, the measures, the agencies.

Each role has its synonyms (COLUMNS): the measures' column (举措, 具体措施 …),
the task column that groups them (任务, 工作任务 …; it holds the measures
itself when there is no measures' column), the agencies' columns with the
role their header gives (牵头单位 -> 牵头, 责任单位 -> 负责, 配合单位 -> 配合,
协办单位 -> 协助 …), and 完成时限. A header matches exactly, else by the
longest synonym it contains (牵头单位（部门） -> 牵头单位).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.content.text import without_spaces

# Column roles and the headers that name them. A header is matched exactly, else by the
# longest of these it contains (牵头单位（部门） -> 牵头单位).
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "type": ("任务类型", "工作类型", "类型", "类别"),
    "task": ("任务", "工作任务", "重点任务", "主要任务", "任务名称", "工作项目", "重点工作", "工作重点", "项目",
             "任务分类"),
    "text": ("举措", "具体措施", "工作措施", "主要措施", "主要内容", "工作内容", "任务内容", "具体内容", "措施",
             "工作举措", "具体任务", "工作要求", "任务措施", "具体工作", "主要举措", "重点举措", "内容"),
    "lead": ("责任单位", "牵头单位", "主责单位", "负责单位", "责任部门", "牵头部门", "主责部门", "责任主体",
             "牵头责任单位"),
    "support": ("配合单位", "协办单位", "参与单位", "配合部门", "协助单位", "协作单位", "协办部门", "参与部门",
                "配合责任单位"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限", "时间安排", "进度安排", "时间要求", "完成期限"),
}
# The role a header gives the names in its column, when a name has no role word of its own.
HEADER_ROLES = {"牵头": "牵头", "主责": "负责", "负责": "负责", "责任": "负责",
                "配合": "配合", "协办": "协助", "协助": "协助", "协作": "协助", "参与": "参与"}


@dataclass
class Columns:
    names: list[str]
    index: dict[str, int] = field(default_factory=dict)  # role -> column
    lead_role: str = "负责"
    support_role: str = "配合"
    unknown: list[int] = field(default_factory=list)  # columns no role was found for

    def get(self, role: str) -> int | None:
        return self.index.get(role)


def column_role(name: str) -> str | None:
    key = without_spaces(name).strip("：:*＊")
    for role, names in COLUMNS.items():
        if key in names:
            return role
    found = [(len(n), role) for role, names in COLUMNS.items() for n in names if len(n) >= 2 and n in key]
    return max(found)[1] if found else None


def read_columns(names: list[str]) -> Columns:
    cols = Columns(list(names))
    for k, name in enumerate(names):
        role = column_role(name)
        if role is None or role in cols.index:
            cols.unknown.append(k)
            continue
        cols.index[role] = k
    if "text" not in cols.index and "task" in cols.index:
        cols.index["text"] = cols.index.pop("task")  # 工作任务 with nothing finer: it holds the measures
    for role, attr in (("lead", "lead_role"), ("support", "support_role")):
        if role in cols.index:
            key = without_spaces(names[cols.index[role]])
            word = next((w for w in HEADER_ROLES if key.startswith(w)), None)
            if word:
                setattr(cols, attr, HEADER_ROLES[word])
    return cols



def names_plan_columns(names: list[str]) -> bool:
    """Whether a header row is a plan's: three or more columns, one for the measures or tasks,
    one for the 序号 or the agencies."""
    roles = {column_role(n) for n in names}
    return len(names) >= 3 and bool(roles & {"text", "task"}) and bool(roles & {"number", "lead"})
