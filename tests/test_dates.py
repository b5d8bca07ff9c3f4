"""The date resolver: explicit, partial, relative and offset dates, with precision."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.dates import find_dates, shift

THU = dt.date(2023, 10, 12)  # a Thursday


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The talks took place on October 12, 1948.", THU, "1948-10-12"),
        ("They met on 9th November 2021 in New York.", THU, "2021-11-09"),
        ("On 28th January, 2022, the two signed.", THU, "2022-01-28"),
        ("The agency reported on Thursday.", THU, "2023-10-12"),
        ("Officials met on Tuesday evening.", THU, "2023-10-10"),
        ("He left last Thursday.", THU, "2023-10-05"),
        ("The minister arrived yesterday.", THU, "2023-10-11"),
        ("The ministers met in September.", THU, "2023-09"),
        ("The embassy closed last November.", THU, "2022-11"),
        ("The embassy closed in November.", THU, "2022-11"),
        ("Relations were cut in 1992.", THU, "1992"),
        ("Relations were cut in March 2014.", THU, "2014-03"),
        ("The accord was signed earlier this month.", THU, "2023-10"),
        ("The accord was signed last month.", THU, "2023-09"),
        ("It was signed earlier this year.", THU, "2023"),
        ("The visit took place three days ago.", THU, "2023-10-09"),
        ("The deal came last week.", THU, "2023-10"),
        ("They talked on May 5.", THU, "2023-05-05"),
        ("They talked on Dec. 24.", THU, "2022-12-24"),
    ],
)
def test_resolves(text: str, published: dt.date, expected: str) -> None:
    values = [d.value for d in find_dates(text, published) if d.value]
    assert values == [expected]


def test_weekday_on_publication_day_is_that_day() -> None:
    [d] = find_dates("KCNA said on Thursday", THU)
    assert d.value == "2023-10-12" and d.precision == "day"


def test_week_across_months_gives_no_month() -> None:
    # published Wednesday 2023-11-01: last week ran 23 to 29 October -> October
    [d] = find_dates("They met last week.", dt.date(2023, 11, 1))
    assert d.value == "2023-10"
    # published Tuesday 2023-10-03: this week began on Monday 2 October
    [d] = find_dates("They met this week.", dt.date(2023, 10, 3))
    assert d.value == "2023-10"


def test_without_publication_date_relative_dates_stay_open() -> None:
    found = find_dates("They met on Tuesday and again last month.", None)
    assert [d.value for d in found] == [None, None]


def test_may_as_verb_is_not_a_month() -> None:
    assert find_dates("China may recognize the new government.", THU) == []


def test_numbers_are_not_years() -> None:
    assert find_dates("It sent 2,000 troops, 1,950 tanks and $2019 in cash.", THU) == []


def test_decades_are_vague() -> None:
    found = find_dates("Kenya opened an embassy in Seoul in the late 1980s.", THU)
    assert [(d.kind, d.value) for d in found] == [("vague", None)]


def test_offset_and_anniversary() -> None:
    found = find_dates("It comes a month after the trip, on the 75th anniversary of ties.", THU)
    kinds = {d.kind: d for d in found}
    assert kinds["offset"].amount == 1 and kinds["offset"].unit == "month" and kinds["offset"].direction == 1
    assert kinds["anniversary"].value == "1948"


@pytest.mark.parametrize(
    ("date", "amount", "unit", "expected"),
    [("2023-10-12", -1, "month", "2023-09"), ("2023-01-12", -1, "month", "2022-12"),
     ("2019-09-28", -3, "day", "2019-09-25"), ("2023-10-12", -2, "year", "2021"),
     ("2023", -1, "month", "2023")],
)
def test_shift(date: str, amount: int, unit: str, expected: str) -> None:
    assert shift(date, amount, unit) == expected


@given(st.text(max_size=300), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)) | st.none())
def test_never_crashes_and_never_invents(text: str, published: dt.date | None) -> None:
    for d in find_dates(text, published):
        assert d.value is None or len(d.value) in (4, 7, 10)
        assert 0 <= d.start < d.end <= len(text)


@pytest.mark.parametrize("text", [
    "calendar>>April 13. 2019 | Pyongyang, April 13 (KCNA) -- the talks ended on Friday.",
    "Two weeks ago the envoy left; three days later, on 5 May, she returned, the day before the vote.",
    "In the 1990s, and again in March 2003, they met early Monday afternoon, 10 years after the war.",
    "The 75th anniversary of ties fell on 2023-10-12; last week, and earlier this month, they spoke.",
    "Sept. 9, 2021 and 9th November and 24th November 2021: two visits, 100 km apart, 5 killed.",
])
def test_token_anchors_find_what_the_text_scan_finds(text: str) -> None:
    """The extractor finds dates around its tokens' anchors; the result is that of the plain scan."""
    from kg.extract.dates import anchors_of
    from kg.extract.nlp import get_tokenizer

    pub = dt.date(2023, 10, 14)
    toks = get_tokenizer()(text)
    assert find_dates(text, pub, anchors_of(toks.lowers, toks.offsets)) == find_dates(text, pub)


@pytest.mark.parametrize(("text", "amount", "unit", "direction"), [
    ("later that month", 0, "month", 1), ("that same year", 0, "year", 1), ("the following year", 1, "year", 1),
    ("the previous month", 1, "month", -1), ("earlier the same week", 0, "week", 1),
])
def test_a_unit_counted_from_the_date_before(text: str, amount: int, unit: str, direction: int) -> None:
    (d,) = find_dates(f"They met {text}.", dt.date(2024, 5, 16))
    assert (d.kind, d.amount, d.unit, d.direction) == ("offset", amount, unit, direction)
