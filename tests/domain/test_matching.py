"""The compiled matcher finds exactly the rules a plain reading of each rule finds, in rank order."""

from hypothesis import given, settings
from hypothesis import strategies as st

from jiesu.domain.catalogue import Rule
from jiesu.domain.matching import RequestFacts, RuleMatcher

WORDS = ["停水", "水压", "噪音", "施工", "夜间", "工资", "拖欠", "停车", "水", "工"]
KINDS = ["complain", "help", "consult"]

words = st.lists(st.sampled_from(WORDS), max_size=3, unique=True).map(tuple)


@st.composite
def rule_sets(draw):
    count = draw(st.integers(min_value=1, max_value=12))
    return [
        Rule(
            index=index,
            name=f"r{index}",
            priority=draw(st.integers(min_value=0, max_value=3)),  # many ties: file order decides
            keywords_any=draw(words),
            keywords_all=draw(words),
            keywords_none=draw(words),
            kinds=frozenset(draw(st.lists(st.sampled_from(KINDS), max_size=2))),
            categories=draw(st.sampled_from([(), ("城乡建设",), ("劳动和社会保障/工资",)])),
        )
        for index in range(1, count + 1)
    ]


requests = st.builds(
    RequestFacts,
    text=st.lists(st.sampled_from([*WORDS, "，", "请", "小区"]), max_size=8).map("".join),
    kind=st.sampled_from(KINDS),
    category=st.sampled_from(["", "城乡建设/供水", "劳动和社会保障/工资福利"]),
)


def meets(rule: Rule, request: RequestFacts) -> bool:
    text = request.text
    return (
        (not rule.keywords_any or any(k in text for k in rule.keywords_any))
        and all(k in text for k in rule.keywords_all)
        and not any(k in text for k in rule.keywords_none)
        and (not rule.kinds or request.kind in rule.kinds)
        and (not rule.categories or any(request.category.startswith(c) for c in rule.categories))
    )


@settings(max_examples=300)
@given(rule_sets(), requests)
def test_ranked_is_every_rule_met_highest_priority_then_earliest(rules, request):
    expected = sorted((r for r in rules if meets(r, request)), key=lambda r: (-r.priority, r.index))
    _, ranked = RuleMatcher(rules).ranked(request)
    assert [r.name for r in ranked] == [r.name for r in expected]


@settings(max_examples=300)
@given(rule_sets(), requests)
def test_best_is_the_first_ranked_and_names_the_keywords_that_made_it_match(rules, request):
    matcher = RuleMatcher(rules)
    best = matcher.best(request)
    expected = [r for r in sorted(rules, key=lambda r: (-r.priority, r.index)) if meets(r, request)]
    if not expected:
        assert best is None
        return
    assert best is not None and best.rule.name == expected[0].name
    wanted = {k for k in (*best.rule.keywords_any, *best.rule.keywords_all) if k in request.text}
    assert set(best.keywords) == wanted
