"""SMS texts: GSM 03.38 only, as few segments as possible, with the sender and the short link.

Norwegian letters (æ ø å) are GSM 03.38, so a Norwegian SMS holds 160 characters (153 per part
when split). One en dash, curly quote or emoji would switch the whole message to UCS-2 (70 and
67), so `gsm_only` puts plain equivalents in their place and drops what has none. Optional
text (the summary, the expected end) is kept only when it does not add a segment.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import smsutil

from statusmap.models import Variant
from statusmap.notify.compose_words import lead
from statusmap.notify.compose_words import word
from statusmap.notify.links import UNSUBSCRIBE
from statusmap.notify.links import UNSUBSCRIBE_SHORT

# A typical short unsubscribe link (https://vann.<kommune>.kommune.no/av/ and a 32-sign token),
# counted in the segments in place of the placeholder, which each recipient's own link replaces.
UNSUBSCRIBE_STAND_IN = "https://vann.kristiansand.kommune.no/av/" + "x" * 32

PLAIN = {
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus
    "\u2010": "-",
    "\u2011": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2026": "...",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u00b7": "-",
    "\u2022": "-",
    "\t": " ",
}
_SPACES = re.compile(r"[ \t]+")
GSM = "gsm0338"


@dataclass(frozen=True)
class SmsSize:
    """How an SMS goes out: its encoding and how many segments it is billed as."""

    encoding: str  # "GSM 03.38" or "UCS-2"
    segments: int
    characters: int


def _plain_char(char: str) -> str:
    if char in PLAIN:
        return PLAIN[char]
    if smsutil.is_valid_gsm(char):
        return char
    # "ó" -> "o", "ê" -> "e": the letter without its accent, when GSM has that.
    base = unicodedata.normalize("NFKD", char)
    kept = "".join(part for part in base if smsutil.is_valid_gsm(part) and part.isprintable())
    return kept


def gsm_only(text: str) -> str:
    """The text in GSM 03.38 only: plain dashes, quotes and dots, accents off, the rest dropped."""
    plain = "".join(_plain_char(char) for char in text.replace("\r\n", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in plain.split("\n")]
    return "\n".join(line for line in lines if line)


def sms_size(text: str) -> SmsSize:
    """The encoding and the segment count of an SMS text (smsutil's count), with a typical
    subscriber's unsubscribe link counted where its placeholder stands."""
    if not text:
        return SmsSize("GSM 03.38", 0, 0)
    text = text.replace(UNSUBSCRIBE_SHORT, UNSUBSCRIBE_STAND_IN)
    result = smsutil.split(text)
    encoding = "GSM 03.38" if result.encoding == GSM else "UCS-2"
    return SmsSize(encoding, len(result.parts), len(text))


@dataclass(frozen=True)
class SmsFacts:
    """What an SMS may say, already in the recipient's language."""

    sender: str
    title: str
    summary: str
    expected_end: str  # formatted, or ""
    link: str


def _candidates(facts: SmsFacts, variant: Variant, language: str) -> list[list[str]]:
    """The SMS's pieces, richest first; the last holds only what must be said (and every one
    ends with the way to stop: the subscriber's own short unsubscribe link)."""
    head = f"{facts.sender}: {lead(language, variant)}{facts.title}".rstrip(".") + "."
    more = word(language, "more", link=facts.link) if facts.link else ""
    more = f"{more} {word(language, 'sms_stop', link=UNSUBSCRIBE_SHORT)}".strip()
    if variant is Variant.NO_LONGER:
        return [[head, word(language, "no_longer"), more], [head, more]]
    if variant is Variant.RESOLVED:
        return [[head, facts.summary, more], [head, more]]
    end = word(language, "expected_end", time=facts.expected_end) if facts.expected_end else ""
    return [[head, facts.summary, end, more], [head, end, more], [head, more]]


def compose_sms(facts: SmsFacts, variant: Variant, language: str) -> str:
    """The SMS: the richest text that takes no more segments than the leanest one."""
    texts = [
        gsm_only(" ".join(piece.replace(UNSUBSCRIBE, "") for piece in pieces if piece))
        for pieces in _candidates(facts, variant, language)
    ]
    fewest = sms_size(texts[-1]).segments
    return next(text for text in texts if sms_size(text).segments <= max(fewest, 1))
