"""Column and message labels for people: Chinese by default, English with --lang en."""

LABELS: dict[str, tuple[str, str]] = {
    "number": ("工单编号", "Number"),
    "status": ("状态", "Status"),
    "kind": ("类型", "Kind"),
    "channel": ("渠道", "Channel"),
    "category": ("分类", "Category"),
    "title": ("标题", "Title"),
    "content": ("诉求内容", "Content"),
    "requester": ("诉求人", "Requester"),
    "name": ("姓名", "Name"),
    "phone": ("电话", "Phone"),
    "requester_type": ("诉求人类型", "Requester type"),
    "confidential": ("保密", "Confidential"),
    "address": ("地址", "Address"),
    "district": ("区", "District"),
    "street": ("街乡镇", "Street"),
    "community": ("社区村", "Community"),
    "urgent": ("紧急", "Urgent"),
    "created_at": ("受理时间", "Taken in"),
    "closed_at": ("结案时间", "Closed"),
    "external_id": ("外部编号", "External id"),
    "reply": ("答复", "Reply"),
    "operator": ("受理人", "Taken in by"),
    "at": ("时间", "Time"),
    "action": ("环节", "Step"),
    "unit": ("单位", "Unit"),
    "note": ("说明", "Note"),
    "timeline": ("办理过程", "Timeline"),
    "attachments": ("附件", "Attachments"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "created": ("已受理", "Taken in"),
    "existing": (
        "已存在（外部编号重复），未新建",
        "Already in the case file (same external id); nothing added",
    ),
    "existing_short": ("已存在", "already there"),
    "rows": ("行数", "Rows"),
    "rejected": ("拒收行", "Rejected rows"),
    "rejects_file": ("拒收明细", "Rejects file"),
    "tickets": ("工单", "Tickets"),
    "shown": ("显示", "Showing"),
    "of": ("共", "of"),
    "none_found": ("没有符合条件的工单", "No matching tickets"),
    "size": ("大小", "Size"),
    "media_type": ("类型", "Media type"),
    "path": ("路径", "Path"),
    "revealed": ("已查看保密信息并记录", "Confidential details revealed; the reveal is recorded"),
}


def t(key: str, lang: str) -> str:
    """The label for `key` in `lang` (zh or en)."""
    zh, en = LABELS.get(key, (key, key))
    return zh if lang == "zh" else en
