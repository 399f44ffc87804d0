"""The [escalation] defaults resolved against the units a rules file has, the ladder they give, and
the calendar's knowledge of make-up working days (调休) per year."""

import textwrap
from datetime import date
from pathlib import Path

from jiesu.domain.calendar import WorkCalendar, makeup_workdays_published
from jiesu.domain.catalogue import EscalationPolicy, Unit, UnitClass
from jiesu.domain.escalation import ladder, ladder_note
from jiesu.rules import BUNDLED_RULES, load_rules
from jiesu.rules.loader import deep_problems

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
UNITS = {
    "st": Unit("st", "某街道", UnitClass.STREET),
    "cm": Unit("cm", "某社区", UnitClass.COMMUNITY, "st"),
    "dept": Unit("dept", "区城管委", UnitClass.DISTRICT_DEPT),
    "city": Unit("city", "市交管局", UnitClass.CITY_DEPT),
    "qu": Unit("qu", "区专班", UnitClass.DISTRICT_DEPT),
}


def test_without_the_usual_units_no_coordinator_is_configured():
    policy = load_rules(BUNDLED_RULES).escalation
    assert (policy.district_coordinator, policy.city_coordinator) == ("", "")
    sample = load_rules(SAMPLE).escalation  # it has units with the usual codes
    assert (sample.district_coordinator, sample.city_coordinator) == ("district-office", "city-centre")


def test_an_empty_code_switches_a_coordinator_off(tmp_path):
    path = tmp_path / "rules.toml"
    text = SAMPLE.read_text(encoding="utf-8") + '\n[escalation]\ncity_coordinator = ""\n'
    path.write_text(text, encoding="utf-8")
    policy = load_rules(path).escalation
    assert (policy.district_coordinator, policy.city_coordinator) == ("district-office", "")


def test_the_ladder_takes_only_what_is_configured():
    none = EscalationPolicy(district_coordinator="", city_coordinator="")
    assert ladder("cm", UNITS, none) == ("cm", "st")
    assert ladder("st", UNITS, none) == ("st",)
    assert ladder("gone", UNITS, none) == ("gone",)
    assert ladder_note(("cm", "st"), UNITS, none) == (
        "highest level there is: st (no district_coordinator or city_coordinator configured in [escalation], "
        "so there is nobody above to escalate to)"
    )
    district = EscalationPolicy(district_coordinator="qu", city_coordinator="")
    assert ladder("cm", UNITS, district) == ("cm", "st", "qu")
    assert ladder("city", UNITS, district) == ("city",)  # a city department answers to the city only
    assert "(no city_coordinator configured" in ladder_note(("city",), UNITS, district)
    assert "(no city_coordinator configured" in ladder_note(("cm", "st", "qu"), UNITS, district)
    city = EscalationPolicy(district_coordinator="", city_coordinator="city")
    assert ladder("dept", UNITS, city) == ("dept", "city")
    assert ladder_note(("dept", "city"), UNITS, city) == ""
    # a code the units do not have counts as not configured
    assert ladder("st", UNITS, EscalationPolicy()) == ("st",)


def test_a_parent_cycle_does_not_cut_the_ladder_short():
    units = UNITS | {
        "a": Unit("a", "甲", UnitClass.COMMUNITY, "b"),
        "b": Unit("b", "乙", UnitClass.STREET, "a"),
    }
    assert ladder("a", units, EscalationPolicy(district_coordinator="qu", city_coordinator="city")) == (
        "a",
        "b",
        "qu",
        "city",
    )


def test_escalate_checks_the_calendar_country_in_the_words_of_rules_check(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(
        textwrap.dedent("""\
            [limits]
            default = { accept = "1wd", contact = "24h", finish = "7d" }

            [calendar]
            country = "ZZ"
            """),
        encoding="utf-8",
    )
    rules = load_rules(path)  # a plain load does not import the holidays package
    assert deep_problems(rules) == ["line 4: [calendar] country: unknown country 'ZZ'; use an ISO code such as CN"]
    assert deep_problems(load_rules(BUNDLED_RULES)) == []


def test_the_years_whose_make_up_working_days_are_known():
    assert makeup_workdays_published("CN", 2026)
    assert not makeup_workdays_published("CN", 2027)
    assert makeup_workdays_published("US", 2027)  # a country that never moves working days to weekends
    calendar = WorkCalendar("CN")
    assert calendar.is_working_day(date(2026, 10, 10))  # a make-up Saturday
    assert calendar.unpublished_years == set()
    calendar.is_working_day(date(2027, 3, 1))
    calendar.is_working_day(date(2027, 3, 2))
    assert calendar.unpublished_years == {2027}
    given = WorkCalendar("CN", extra_workdays=[date(2027, 2, 20)])
    given.is_working_day(date(2027, 3, 1))
    assert given.unpublished_years == set()
