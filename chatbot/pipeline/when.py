"""Days and times in the patient's words ("next Tuesday afternoon", "Dec 3 at 2pm"), read with dateparser."""
import re
from dataclasses import dataclass
from datetime import date, datetime, time

import dateparser

_DAY = re.compile(
    r"\b(?:day after tomorrow|today|tomorrow|(?:next|this|coming)\s+(?:week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|in\s+\d+\s+days?|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:\s+\d{4})?|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|"
    r"\d{1,2}/\d{1,2}/\d{2,4}|yesterday|last\s+(?:week|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b|\b(\d{1,2}):(\d{2})\b|\b(noon|midday)\b", re.IGNORECASE)
PARTS = {"morning": (8, 12), "afternoon": (12, 17), "evening": (17, 21)}
_PART = re.compile(r"\b(morning|afternoon|evening)\b", re.IGNORECASE)


@dataclass
class When:
    day: date | None = None
    at: time | None = None
    part: str | None = None

    @property
    def empty(self) -> bool:
        return self.day is None and self.at is None and self.part is None


def read_when(text: str, now: datetime) -> When:
    """The day, clock time and part of day a message names; `now` is local and naive-compatible."""
    found = When()
    match = _DAY.search(text)
    if match:
        phrase = re.sub(r"^on\s+", "", match.group(0), flags=re.IGNORECASE)
        past = phrase.lower().startswith(("yesterday", "last"))
        parsed = dateparser.parse(
            phrase, languages=["en"],
            settings={"PREFER_DATES_FROM": "past" if past else "future", "RELATIVE_BASE": now.replace(tzinfo=None),
                      "RETURN_AS_TIMEZONE_AWARE": False, "DATE_ORDER": "DMY"},
        )
        if parsed:
            found.day = parsed.date()
    clock = _CLOCK.search(text)
    if clock:
        if clock.group(6):
            found.at = time(12, 0)
        elif clock.group(3):
            hour = int(clock.group(1)) % 12 + (12 if clock.group(3).lower() == "pm" else 0)
            found.at = time(hour, int(clock.group(2) or 0)) if hour < 24 and int(clock.group(2) or 0) < 60 else None
        else:
            hour, minute = int(clock.group(4)), int(clock.group(5))
            found.at = time(hour, minute) if hour < 24 and minute < 60 else None
    part = _PART.search(text)
    if part:
        found.part = part.group(1).lower()
    return found
