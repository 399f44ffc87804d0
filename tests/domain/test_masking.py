"""Who may reveal a confidential requester (domain.masking.may_reveal)."""

from hypothesis import given
from hypothesis import strategies as st

from jiesu.domain.masking import may_reveal

logins = st.text(alphabet="abcdefgh-_0123", min_size=1, max_size=6)


@given(logins, st.lists(logins, max_size=4), st.none() | logins)
def test_listed_revealers_decide_alone_when_given(login, listed, owner):
    assert may_reveal(login, revealers=tuple(listed), owner=owner) is (login in listed)


@given(logins, st.none() | logins)
def test_without_a_list_only_the_owner_may(login, owner):
    assert may_reveal(login, revealers=None, owner=owner) is (owner is not None and login == owner)


def test_an_empty_list_means_nobody_not_the_default():
    assert not may_reveal("root", revealers=(), owner="root")
