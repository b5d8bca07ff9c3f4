"""Date expressions in news prose, resolved against the publication date.

A small, deterministic resolver written for news: absolute dates ("October
12, 1948", "9th November 2021"), partial ones ("in September", "in 1992"),
weekdays and relative phrases ("on Thursday", "last week", "earlier this
month"), offsets from another event ("a month after", "two days later") and
anniversaries ("the 75th anniversary of relations").  It keeps the precision
the text gives and never invents a day: "last week" is a month at best.

>>> pub = dt.date(2023, 10, 12)          # a Thursday
>>> [(d.text, d.value) for d in find_dates("KCNA reported on Thursday.", pub)]
[('on Thursday', '2023-10-12')]
>>> [(d.text, d.value) for d in find_dates("on October 12, 1948", pub)]
[('October 12, 1948', '1948-10-12')]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "DateExpr",
    "anchor_kind",
    "anchors_of",
    "find_dates",
    "shift",
]

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
           "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
           "ninety": 90, "hundred": 100, "a hundred": 100,
           "several": 3, "few": 3, "a few": 3, "some": 3, "couple of": 2, "a couple of": 2}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20, "twenty-fifth": 25,
    "thirtieth": 30, "thirty-fifth": 35, "fortieth": 40, "forty-fifth": 45, "fiftieth": 50,
    "fifty-fifth": 55, "sixtieth": 60, "sixty-fifth": 65, "seventieth": 70,
    "seventy-fifth": 75, "eightieth": 80, "hundredth": 100,
}

_MON = (r"(?P<{g}>January|February|March|April|May|June|July|August|September|October|November"
        r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>1[89]\d\d|20\d\d)"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = (r"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
        r"|forty|fifty|sixty|seventy|eighty|ninety|(?:a )?hundred|several|(?:a )?few|(?:a )?couple of)")
_UNIT = r"(?P<unit>day|week|month|year)s?"


def _g(pat: str, g: str) -> str:
    return pat.format(g=g)


_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    # a dateline giving only the day: "London, 19 -" at the start of a story
    ("dateline", r"^\s*(?:[^\n:]{0,60}:\s*)?[A-Z][A-Za-z .]+,\s+(?P<dday>[0-3]?\d)\s*(?:\([^)]*\)\s*)?[-–—:]"),
    ("mdy", r"\b" + _g(_MON, "mon") + r"\s+" + _g(_DAY, "day") + r"(?:\s*,\s*|\s+)" + _g(_YEAR, "year") + r"\b"),
    ("dmy", r"\b" + _g(_DAY, "day") + r"\s+(?:of\s+)?" + _g(_MON, "mon") + r",?\s+" + _g(_YEAR, "year") + r"\b"),
    ("md", r"\b" + _g(_MON, "mon") + r"\s+" + _g(_DAY, "day") + r"\b(?!\s*(?:,\s*)?\d)"),
    ("dm", r"\b" + _g(_DAY, "day") + r"\s+(?:of\s+)?" + _g(_MON, "mon") + r"\b"),
    ("my", r"\b" + _g(_MON, "mon") + r",?\s+(?:of\s+)?" + _g(_YEAR, "year") + r"\b"),
    ("rel_month", r"\b(?P<rel>last|this|next|earlier this|later this|late last|early last|earlier last)"
     r"\s+(?P<what>week|month|year)\b"),
    ("ago", r"\b" + _NUM + r"\s+" + _UNIT + r"\s+ago\b"),
    ("offset", r"\b(?:(?:just|only|barely|some|about|nearly|almost|more than|less than)\s+)?" + _NUM
     + r"\s+" + _UNIT + r"\s+(?P<dir>after|before|later|earlier)\b"),
    ("offset_bare", r"\b(?P<unit>day|week|month|year)s\s+(?P<dir>after|before|later|earlier)\b"),
    ("weekday", r"\b(?:(?P<wrel>last|this|next|on|late|early)\s+)?" + _WD
     + r"(?:\s+(?:morning|afternoon|evening|night))?\b"),
    ("day_word", r"\b(?P<word>today|yesterday|tonight|this morning|this afternoon|this evening|last night)\b"),
    ("same_day", r"\b(?:the|that) (?P<which>same day|following day|next day|day before|previous day)\b"),
    ("same_unit", r"\b(?:(?:later|earlier) (?:that|the same)|(?:that|the) same|the (?P<step>following|next|previous"
     r"|preceding)) (?P<unit>week|month|year)\b"),
    ("anniv", r"\b(?P<ord>\d{1,3}(?:st|nd|rd|th)|" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
     + r")\s+anniversary\b"),
    ("month_rel", r"\b(?P<rel>in|last|since|during|early|late|mid-|earlier in|later in|until|by|from|this)\s+"
     + _g(_MON, "mon") + r"\b(?!\s+\d)"),
    # a decade dates nothing to kg's precisions, but says the event is not today's news
    ("decade", r"\b(?:in|during|since|by|from|until|through|throughout)\s+the\s+(?:early\s+|mid-|late\s+)?"
     r"(?:1[89]|20)\d0s\b"),
    ("year", r"(?<![\d,.$£€])\b(?P<pre>in|since|of|year|from|until|by|during|early|late|mid-|before|after)?\s*"
     + _g(_YEAR, "year") + r"\b(?![\d,]\d|s\b|-\d)"),
]
# "may" is a month only when it looks like one (capitalised)
_CASE_SENSITIVE_MONTH = re.compile(r"^(?:May|Mar)\b")


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression found in text.

    ``value`` is the resolved ISO date at its precision (None when it cannot
    be resolved, e.g. "on Thursday" with no publication date).  ``kind`` is
    ``absolute``, ``relative`` (to publication), ``offset`` (to another event;
    ``amount``/``unit``/``direction`` say how), ``anniversary`` (``years``), or
    ``vague`` ("in the 1980s": no value, but the event is not the day's news).
    """

    start: int
    end: int
    text: str
    value: str | None
    kind: str
    amount: int = 0
    unit: str = ""
    direction: int = 0
    years: int = 0

    @property
    def precision(self) -> str | None:
        return {4: "year", 7: "month", 10: "day"}.get(len(self.value)) if self.value else None


def _month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _ymd(d: dt.date) -> str:
    return d.isoformat()


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def shift(date: str, amount: int, unit: str) -> str | None:
    """Move an ISO date by ``amount`` units and give the precision the unit allows.

    Days keep day precision; weeks give the month when the result is
    unambiguous; months give months; years give years.

    >>> shift("2023-10-12", -1, "month")
    '2023-09'
    >>> shift("2019-09-28", -3, "day")
    '2019-09-25'
    """
    y = int(date[:4])
    m = int(date[5:7]) if len(date) >= 7 else None
    d = int(date[8:10]) if len(date) >= 10 else None
    if unit == "year":
        return f"{y + amount:04d}"
    if unit == "month":
        if m is None:
            return f"{y:04d}"
        total = y * 12 + (m - 1) + amount
        return _ym(total // 12, total % 12 + 1)
    if m is None:
        return f"{y:04d}"
    if d is None:
        if unit == "week" and abs(amount) <= 2:
            return _ym(y, m)
        base = dt.date(y, m, 15) + dt.timedelta(days=amount * (7 if unit == "week" else 1))
        return _ym(base.year, base.month)
    base = dt.date(y, m, d)
    days = amount * (7 if unit == "week" else 1)
    new = base + dt.timedelta(days=days)
    if unit == "day":
        return _ymd(new)
    return _ym(new.year, new.month) if (new.year, new.month) == (base.year, base.month) or \
        abs(amount) >= 1 else _ymd(new)


def _week_span(first: dt.date, last: dt.date) -> str | None:
    """The month of a week, or its year when it spans two months, or None across a new year."""
    if (first.year, first.month) == (last.year, last.month):
        return _ym(first.year, first.month)
    return f"{last.year:04d}" if first.year == last.year else None


def _num(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else NUMBERS.get(s, 3)


def find_dates(text: str, published: dt.date | None,
               anchors: list[tuple[int, int, str]] | None = None) -> list[DateExpr]:
    """All date expressions in ``text``, resolved against ``published``.

    ``anchors`` (from :func:`anchors_of`) spares a scan when the caller has
    tokenised the text already.
    """
    out: list[DateExpr] = []
    P = published
    for kind_name, m in _scan(text, anchors):
        gd = m.groupdict()
        start, end = m.start(), m.end()
        mon = gd.get("mon")
        if mon and mon.lower().rstrip(".") in ("may", "mar") and not _CASE_SENSITIVE_MONTH.match(mon):
            continue
        value: str | None = None
        kind = "absolute"
        extra: dict[str, int | str] = {}
        if kind_name == "dateline":
            kind = "relative"
            start, end = m.start("dday"), m.end("dday")
            if P is not None:
                day = int(gd["dday"])
                y, mo = (P.year, P.month) if day <= P.day else ((P.year, P.month - 1) if P.month > 1
                                                                else (P.year - 1, 12))
                value = _valid(y, mo, day)
        elif kind_name == "iso":
            value = _valid(int(gd["y"]), int(gd["m"]), int(gd["d"]))
        elif kind_name in ("mdy", "dmy"):
            value = _valid(int(gd["year"]), _month(mon), int(gd["day"]))
        elif kind_name in ("md", "dm"):
            day, mo = int(gd["day"]), _month(mon)
            year = _following_year(text, end)
            kind = "absolute" if year else "relative"
            if year is None and P is not None:
                year = P.year if (mo, day) <= (P.month, P.day) else P.year - 1
            value = _valid(year, mo, day) if year else None
        elif kind_name == "my":
            value = _ym(int(gd["year"]), _month(mon))
        elif kind_name == "month_rel":
            mo = _month(mon)
            rel = gd["rel"].lower()
            year = _following_year(text, end)
            kind = "absolute" if year else "relative"
            if year is None and P is not None:
                year = P.year if mo <= P.month else P.year - 1
                if rel == "last" and mo >= P.month:
                    year = P.year - 1
            value = _ym(year, mo) if year else None
            start = m.start("mon") if rel in ("in", "since", "during", "until", "by", "from") else start
        elif kind_name == "year":
            value = gd["year"]
            start = m.start("year") if not gd.get("pre") else start
        elif kind_name == "rel_month":
            kind = "relative"
            rel, what = gd["rel"].lower(), gd["what"].lower()
            if P is not None:
                back = rel.endswith("last")
                if what == "year":
                    value = f"{P.year - 1 if back else P.year:04d}"
                elif what == "month":
                    value = shift(_ym(P.year, P.month), -1, "month") if back else _ym(P.year, P.month)
                elif rel != "next":
                    monday = P - dt.timedelta(days=P.weekday() + (7 if back else 0))
                    sunday = min(monday + dt.timedelta(days=6), P)
                    value = _week_span(monday, sunday)
            if rel == "next":
                value = None
        elif kind_name == "ago":
            kind = "relative"
            if P is not None:
                value = shift(_ymd(P), -_num(gd["n"]), gd["unit"].lower())
        elif kind_name in ("offset", "offset_bare"):
            kind = "offset"
            amount = _num(gd["n"]) if gd.get("n") else 3
            direction = 1 if gd["dir"].lower() in ("after", "later") else -1
            extra = {"amount": amount, "unit": gd["unit"].lower(), "direction": direction}
        elif kind_name == "weekday":
            kind = "relative"
            wrel = (gd.get("wrel") or "").lower()
            if wrel == "next":
                continue
            if P is not None:
                back = (P.weekday() - WEEKDAYS[gd["wd"].lower()]) % 7
                if wrel == "last" and back == 0:
                    back = 7
                value = _ymd(P - dt.timedelta(days=back))
        elif kind_name == "day_word":
            kind = "relative"
            word = gd["word"].lower()
            if P is not None:
                value = _ymd(P - dt.timedelta(days=1 if word in ("yesterday", "last night") else 0))
        elif kind_name in ("same_day", "same_unit"):
            # "the same day", "the following month", "later that year": from the date named before it
            kind = "offset"
            if kind_name == "same_day":
                unit = "day"
                step = {"same day": 0, "following day": 1, "next day": 1, "day before": -1,
                        "previous day": -1}[gd["which"].lower()]
            else:
                unit = gd["unit"].lower()
                step = {"following": 1, "next": 1, "previous": -1, "preceding": -1}.get((gd["step"] or "").lower(), 0)
            extra = {"amount": abs(step), "unit": unit, "direction": 1 if step >= 0 else -1}
            text_kind = "later" if step >= 0 else "earlier"
            out.append(DateExpr(start, end, f"{abs(step)} {unit} {text_kind}", None, kind, **extra))  # type: ignore[arg-type]
            continue
        elif kind_name == "decade":
            kind = "vague"
        elif kind_name == "anniv":
            kind = "anniversary"
            o = gd["ord"].lower()
            n = int(re.sub(r"\D", "", o)) if o[0].isdigit() else ORDINAL_WORDS[o]
            extra = {"years": n}
            value = f"{P.year - n:04d}" if P is not None else None
        out.append(DateExpr(start, end, text[start:end], value, kind, **extra))  # type: ignore[arg-type]
    return _anniversary_days(out, text)


def _anniversary_days(found: list[DateExpr], text: str) -> list[DateExpr]:
    """'Fifty years ago on Tuesday', 'thirty years ago today': that day, so many years back."""
    out: list[DateExpr] = []
    for d in found:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "relative" and prev.value and len(prev.value) == 4 \
                and prev.text.lower().rstrip().endswith("years ago") and d.kind == "relative" and d.value \
                and len(d.value) == 10 and text[prev.end:d.start].strip().lower() in ("", "on", ","):
            years = int(d.value[:4]) - int(prev.value)
            try:
                day = dt.date(int(d.value[:4]) - years, int(d.value[5:7]), int(d.value[8:10])).isoformat()
            except ValueError:  # 29 February
                day = prev.value
            out[-1] = DateExpr(prev.start, d.end, text[prev.start:d.end], day, "relative")
            continue
        out.append(d)
    return out


_COMPILED = [(name, re.compile(pat, re.IGNORECASE | re.MULTILINE)) for name, pat in _PATTERNS]
# Where a date expression can be: a digit or a time word, each kind calling
# only the patterns that can match around it.  Patterns then run in small
# windows, which keeps date finding cheap on long texts.
_ANCHOR = re.compile(
    r"(?P<digit>[0-9])"
    r"|(?i:\b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b)"
    r"|(?i:\b(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day))"
    r"|(?i:\b(?P<rel>week|month|year)s?\b)"
    r"|(?i:\b(?P<ago>ago)\b)"
    r"|(?i:\b(?P<off>after|before|later|earlier)\b)"
    r"|(?i:\b(?P<dayw>today|yesterday|tonight|morning|afternoon|evening|night)\b)"
    r"|(?i:\b(?P<day>days?)\b)"
    r"|(?i:\b(?P<anniv>anniversary)\b)")
# Which patterns an anchor can be part of.  "ago", "offset" and "offset_bare" all
# need their closing word (ago, after, before, later, earlier), so only that word
# opens a window for them: numbers and units alone are far more common.
_BY_ANCHOR = {
    "digit": ("iso", "dateline", "mdy", "dmy", "md", "dm", "my", "year", "anniv", "decade"),
    "year4": ("iso", "mdy", "dmy", "my", "year", "dateline", "decade"),
    "ord": ("anniv", "dm", "dmy", "dateline"),
    "num": ("dateline", "md", "dm"),
    "month": ("mdy", "dmy", "md", "dm", "my", "month_rel"),
    "wd": ("weekday",),
    "rel": ("rel_month", "same_unit"),
    # "ago" opens the same windows as "after", "before", "later", "earlier"; it is a kind of its own
    # so that the "ago" pattern is not searched for its word at it (see _NEEDS)
    **dict.fromkeys(("ago", "off"), ("ago", "offset", "offset_bare", "same_day")),
    "dayw": ("day_word",),
    "day": ("same_day",),
    "anniv": ("anniv",),
}
# A word some patterns cannot match without, at a word boundary as they have it:
# a window that lacks it is not searched for them ("5 killed" opens a window for
# the day-month patterns, which then cost one quick search instead of five),
# unless the anchor is that word.
_MONTH_NEEDED = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
_NEEDS = {**{p: (_MONTH_NEEDED, "month") for p in ("mdy", "dmy", "md", "dm", "my")},
          "ago": (re.compile(r"(?i)\bago\b"), "ago"), "same_day": (re.compile(r"(?i)\bday\b"), "day")}

# Characters searched before and after an anchor, per pattern or per (anchor kind,
# pattern) (36 and 40 unless said here): a weekday takes one word either side
# ("early Monday afternoon"), an offset or "last week" ends at its anchor ("two
# days after", "later that month"), and "May 5, 2024" begins at its month.
_MARGINS = {"weekday": (16, 20), "offset": (36, 2), "offset_bare": (16, 2), "rel_month": (16, 2),
            "same_unit": (24, 2),
            ("month", "mdy"): (0, 40), ("month", "md"): (0, 40), ("month", "my"): (0, 40)}
# per anchor kind: (pattern, characters before, characters after, the word it needs or None)
_PLAN = {kind: tuple((name, *_MARGINS.get((kind, name), _MARGINS.get(name, (36, 40))),
                      _NEEDS[name][0] if name in _NEEDS and _NEEDS[name][1] != kind else None) for name in names)
         for kind, names in _BY_ANCHOR.items()}

_MONTH_WORDS = ("jan january feb february mar march apr april may jun june jul july aug august sep sept "
                "september oct october nov november dec december").split()
#: token (lower-cased) -> anchor kind, for callers that have tokens already
ANCHOR_WORDS: dict[str, str] = {
    **{w: "month" for w in _MONTH_WORDS}, **{w + ".": "month" for w in _MONTH_WORDS},
    **{w: "wd" for w in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")},
    **{w: "rel" for w in ("week", "weeks", "month", "months", "year", "years")},
    "ago": "ago", **{w: "off" for w in ("after", "before", "later", "earlier")},
    **{w: "dayw" for w in ("today", "yesterday", "tonight", "morning", "afternoon", "evening", "night")},
    "day": "day", "days": "day", "anniversary": "anniv",
}


_ORDINAL = re.compile(r"^\d{1,3}(?:st|nd|rd|th)$")


def _digit_kind(tok: str) -> str | None:
    """Which patterns a number can start: a year, an ordinal, a small number, or none ("2,500")."""
    if len(tok) >= 4 and tok[:4].isdigit() and tok[:2] in ("18", "19", "20"):
        return "year4"
    if _ORDINAL.match(tok):
        return "ord"
    if tok.isdigit() and len(tok) <= 2:
        return "num"
    return None


def anchor_kind(token: str) -> str | None:
    """Which date patterns a (lower-cased) token can anchor, by kind; None for most words."""
    return ANCHOR_WORDS.get(token) or (_digit_kind(token) if token[:1].isdigit() else None)


def anchors_of(tokens: list[str], offsets: list[int], at: list[int] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the (lower-cased) tokens that can anchor a date expression;
    ``at``: the indices of the tokens with an :func:`anchor_kind`, when the caller knows them."""
    if at is None:
        at = range(len(tokens))  # type: ignore[assignment]
    return [(offsets[i], offsets[i] + len(tokens[i]), kind) for i in at  # type: ignore[union-attr]
            if (kind := anchor_kind(tokens[i])) is not None]


def _windows(text: str, anchors: list[tuple[int, int, str]] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Per pattern, the merged text windows around the anchors that can start it."""
    out: dict[str, list[tuple[int, int]]] = {}
    n = len(text)
    if anchors is None:
        anchors = [(m.start(), m.end(), m.lastgroup or "digit") for m in _ANCHOR.finditer(text)]
    for a_start, a_end, kind in anchors:
        has: dict[re.Pattern[str], bool] = {}  # per needed word, whether this anchor's window has it
        for name, before, after, need in _PLAN[kind]:
            s, e = max(0, a_start - before), min(n, a_end + after)
            if need is not None:
                ok = has.get(need)
                if ok is None:
                    ok = has[need] = need.search(text, s, e) is not None
                if not ok:
                    continue
            spans = out.setdefault(name, [])
            if spans and s <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], e))
            else:
                spans.append((s, e))
    return out


def _scan(text: str, anchors: list[tuple[int, int, str]] | None = None) -> list[tuple[str, re.Match[str]]]:
    """Matches of all patterns, leftmost first, longest at a position, no overlaps."""
    cands = []
    windows = _windows(text, anchors)
    for order, (name, rx) in enumerate(_COMPILED):
        seen = -1
        for s, e in windows.get(name, ()):
            for m in rx.finditer(text, s, e):
                if m.end() > m.start() and m.start() > seen:
                    cands.append((m.start(), -(m.end() - m.start()), order, name, m))
                    seen = m.start()
    cands.sort(key=lambda c: c[:3])
    out, last_end = [], -1
    for start, _neg, _order, name, m in cands:
        if start >= last_end:
            out.append((name, m))
            last_end = m.end()
    return out


_FOLLOWING_YEAR = re.compile(r"^(?:\s*(?:,|and|&|or|-|to|until|through)?\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
                             r"(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?)?){0,3}\s*,?\s*(1[89]\d\d|20\d\d)\b")


def _following_year(text: str, end: int) -> int | None:
    """The year that closes a run such as "9th November and 24th November 2021"."""
    m = _FOLLOWING_YEAR.match(text[end:end + 40])
    return int(m.group(1)) if m else None
