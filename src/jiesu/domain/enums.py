"""The domain's closed vocabularies, stored in English, shown in Chinese (or English)."""

from enum import StrEnum
from typing import TypeVar

from jiesu.errors import UsageError


class Kind(StrEnum):
    """Kinds of request (诉求类型)."""

    CONSULT = "consult"
    HELP = "help"
    COMPLAIN = "complain"
    REPORT = "report"
    SUGGEST = "suggest"
    PRAISE = "praise"


class Channel(StrEnum):
    """Where the request came in (渠道)."""

    PHONE = "phone"
    WEB = "web"
    APP = "app"
    WECHAT = "wechat"
    EMAIL = "email"
    WALK_IN = "walk-in"
    OTHER = "other"
    GRID = "grid"  # found by the office's own grid workers (网格发现): proactive, no requester called
    PATROL = "patrol"  # found on a patrol or inspection (巡查发现): proactive


# Tickets the office's own people raised (主动发现), not requests someone made.
PROACTIVE_CHANNELS = frozenset({Channel.GRID, Channel.PATROL})


class Guidance(StrEnum):
    """Where a requester was guided to, instead of a unit or a legal channel (引导运用市场机制和社会力量)."""

    MARKET = "market"  # a market mechanism: a property company, a service provider, an insurer
    SOCIAL = "social"  # a social force: a mediation committee, legal aid, a charity, volunteers


class RequesterType(StrEnum):
    """Natural person, legal person or other organisation (诉求人类型)."""

    PERSON = "person"
    COMPANY = "company"
    ORG = "org"


class Status(StrEnum):
    """Where a ticket is in its life (工单状态)."""

    PENDING = "pending"  # taken in, waiting to be dispatched
    ANSWERED = "answered"  # answered directly at intake; never dispatched
    REFERRED = "referred"  # told to use a legal channel; never dispatched
    GUIDED = "guided"  # guided to market mechanisms or social forces, at intake or after dispatch
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    REOPENED = "reopened"  # sent back to its lead unit after an unresolved callback (重办)
    FINISHED = "finished"
    CLOSED = "closed"
    MERGED = "merged"


class AssignmentRole(StrEnum):
    """A unit's part in a ticket (主办 / 协办)."""

    LEAD = "lead"  # accountable; assessed on the ticket
    CO = "co"  # a co-handler: assists, or a department summoned by a whistle


class AssignmentState(StrEnum):
    """Where a unit's part in a ticket stands."""

    ACTIVE = "active"  # the unit still owes steps
    RETURNED = "returned"  # the unit sent the ticket back as not theirs (退单)
    ENDED = "ended"  # ended without counting: re-dispatched, merged, referred
    CLOSED = "closed"  # ended with the ticket's closing; the lead's part still counts in the assessment


class Result(StrEnum):
    """How a unit reports a ticket finished (办结结果)."""

    RESOLVED = "resolved"
    PARTLY = "partly"
    UNRESOLVED = "unresolved"
    EXPLAINED = "explained"


class Satisfaction(StrEnum):
    """The requester's answer at callback (满意度)."""

    SATISFIED = "satisfied"
    BASICALLY = "basically"
    UNSATISFIED = "unsatisfied"


class Action(StrEnum):
    """What an event records."""

    INTAKE = "intake"
    ANSWER = "answer"
    REFER = "refer"
    GUIDE = "guide"
    ATTACH = "attach"
    REVEAL = "reveal"
    DISPATCH = "dispatch"
    SUGGEST = "suggestion"  # a learned suggestion shown for a ticket left for a person ("suggest" is a Kind)
    ACCEPT = "accept"
    RETURN = "return"
    CONTACT = "contact"
    NOTE = "note"
    EXTEND_REQUEST = "extend-request"
    EXTEND_APPROVE = "extend-approve"
    EXTEND_DENY = "extend-deny"
    WHISTLE = "whistle"
    FINISH = "finish"
    CALLBACK = "callback"
    REOPEN = "reopen"
    CLOSE = "close"
    APPEAL_REQUEST = "appeal-request"
    APPEAL_APPROVE = "appeal-approve"
    APPEAL_DENY = "appeal-deny"
    MERGE = "merge"
    SUPERVISE = "supervise"
    REPEAT = "repeat"  # linked at intake as a repeat after close (重复诉求) of a resolved ticket
    WARN = "warn"
    OVERDUE = "overdue"
    ESCALATE = "escalate"


LABELS_ZH: dict[StrEnum, str] = {
    Kind.CONSULT: "咨询",
    Kind.HELP: "求助",
    Kind.COMPLAIN: "投诉",
    Kind.REPORT: "举报",
    Kind.SUGGEST: "建议",
    Kind.PRAISE: "表扬",
    Channel.PHONE: "电话",
    Channel.WEB: "网站",
    Channel.APP: "App",
    Channel.WECHAT: "微信",
    Channel.EMAIL: "邮件",
    Channel.WALK_IN: "来访",
    Channel.OTHER: "其他",
    Channel.GRID: "网格发现",
    Channel.PATROL: "巡查发现",
    Guidance.MARKET: "引导市场机制",
    Guidance.SOCIAL: "引导社会力量",
    RequesterType.PERSON: "个人",
    RequesterType.COMPANY: "企业",
    RequesterType.ORG: "组织",
    Status.PENDING: "待派单",
    Status.ANSWERED: "直接答复",
    Status.REFERRED: "引导法定途径",
    Status.GUIDED: "引导市场和社会力量",
    Status.DISPATCHED: "已派单",
    Status.ACCEPTED: "已签收",
    Status.REOPENED: "重办",
    Status.FINISHED: "已办结",
    Status.CLOSED: "已结案",
    Status.MERGED: "已合并",
    Result.RESOLVED: "已解决",
    Result.PARTLY: "部分解决",
    Result.UNRESOLVED: "未解决",
    Result.EXPLAINED: "已解释说明",
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY: "基本满意",
    Satisfaction.UNSATISFIED: "不满意",
    Action.INTAKE: "受理",
    Action.ANSWER: "直接答复",
    Action.REFER: "引导法定途径",
    Action.GUIDE: "引导市场和社会力量",
    Action.ATTACH: "附件",
    Action.REVEAL: "查看保密信息",
    Action.DISPATCH: "派单",
    Action.SUGGEST: "派单建议",
    Action.ACCEPT: "签收",
    Action.RETURN: "退单",
    Action.CONTACT: "联系诉求人",
    Action.NOTE: "办理进展",
    Action.EXTEND_REQUEST: "申请延期",
    Action.EXTEND_APPROVE: "批准延期",
    Action.EXTEND_DENY: "驳回延期",
    Action.WHISTLE: "吹哨报到",
    Action.FINISH: "办结",
    Action.CALLBACK: "回访",
    Action.REOPEN: "重办",
    Action.CLOSE: "结案",
    Action.APPEAL_REQUEST: "申诉",
    Action.APPEAL_APPROVE: "申诉通过",
    Action.APPEAL_DENY: "申诉驳回",
    Action.MERGE: "合并",
    Action.SUPERVISE: "督办",
    Action.REPEAT: "重复诉求",
    Action.WARN: "超时预警",
    Action.OVERDUE: "超时",
    Action.ESCALATE: "升级协调",
}

# Extra spellings accepted on input, besides the stored value and the Chinese label.
E = TypeVar("E", bound=StrEnum)

_ALIASES: dict[str, str] = {
    "walkin": "walk-in",
    "walk_in": "walk-in",
    "来电": "phone",
    "热线": "phone",
    "网络": "web",
    "门户网站": "web",
    "小程序": "app",
    "客户端": "app",
    "电子邮件": "email",
    "走访": "walk-in",
    "网格": "grid",
    "网格员": "grid",
    "巡查": "patrol",
    "巡检": "patrol",
    "市场": "market",
    "市场机制": "market",
    "社会": "social",
    "社会力量": "social",
    "自然人": "person",
    "法人": "company",
    "公司": "company",
    "单位": "org",
    "其他组织": "org",
}


def label(value: StrEnum, lang: str = "zh") -> str:
    """The label shown to people: Chinese by default, the stored value in English."""
    if lang == "zh":
        return LABELS_ZH.get(value, str(value))
    return str(value).replace("-", " ")


def _lookup(enum: type[E]) -> dict[str, E]:
    table: dict[str, E] = {}
    for member in enum:
        table[member.value] = member
        table[LABELS_ZH.get(member, member.value)] = member
    for alias, value in _ALIASES.items():
        if value in table and alias not in table:
            table[alias] = table[value]
    return table


_TABLES: dict[type[StrEnum], dict[str, StrEnum]] = {}


def enum_lookup(enum: type[E]) -> dict[str, E]:
    """Every accepted spelling (value, Chinese label, alias) → member; built once per enum."""
    table = _TABLES.get(enum)
    if table is None:
        table = _TABLES[enum] = _lookup(enum)
    return table  # type: ignore[return-value]


def parse_enum(enum: type[E], text: str, field: str) -> E:
    """Read a stored value, its Chinese label or a known alias; refuse anything else naming `field`."""
    table = enum_lookup(enum)
    key = text.strip()
    found = table.get(key) or table.get(key.lower())
    if found is None:
        allowed = ", ".join(m.value for m in enum)
        zh = "/".join(LABELS_ZH[m] for m in enum if m in LABELS_ZH)
        raise UsageError(field, f"unknown value {text!r}; use one of {allowed} (or {zh})")
    return found
