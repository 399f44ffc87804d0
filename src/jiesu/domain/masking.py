"""Hiding requesters' identities: confidential requesters everywhere, phones in lists and exports;
and who may lift the veil on a confidential one."""

CONFIDENTIAL_MASK = "***"


def mask_phone(phone: str | None) -> str | None:
    """138****5678: keep the first three and last four digits of a long number, hide the middle."""
    if not phone:
        return phone
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 4:
        return "*" * (len(phone) - 4) + phone[-4:]
    return "*" * len(phone)


def mask_requester(
    name: str | None, phone: str | None, *, confidential: bool, reveal: bool, full_phone: bool
) -> tuple[str | None, str | None]:
    """The name and phone a reader may see.

    A confidential requester is hidden entirely unless revealed; anyone else's phone is partly
    masked unless `full_phone` (a single ticket's own view).
    """
    if confidential and not reveal:
        return (CONFIDENTIAL_MASK if name else None, CONFIDENTIAL_MASK if phone else None)
    if full_phone or reveal:
        return name, phone
    return name, mask_phone(phone)


def may_reveal(login: str, *, revealers: tuple[str, ...] | None, owner: str | None) -> bool:
    """Whether an OS login may reveal a confidential requester.

    The logins `[privacy] revealers` lists (none, if it lists none); without the key, only the
    case file's owner, the account that created it: revealing stays with whoever answers for the
    case file until the office says who else may, rather than with anyone who can run jiesu.
    """
    if revealers is not None:
        return login in revealers
    return owner is not None and login == owner
