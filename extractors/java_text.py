"""Java's text rules, as DBpedia's Scala code gets them from the JDK: one definition of each.

DBpedia's regexes are Java regexes without ``UNICODE_CHARACTER_CLASS``, so their classes are
ASCII-only and differ from Python's: ``\\s`` is :data:`JAVA_SPACE`, ``\\w`` is :data:`JAVA_WORD`,
and ``.`` (:data:`JAVA_DOT`) stops at every line terminator, not only ``\\n``. The regex constants
are pattern text, to be put into larger patterns.
"""

from __future__ import annotations

import re

__all__ = [
    "JAVA_DOT",
    "JAVA_NON_WORD",
    "JAVA_SPACE",
    "JAVA_SPACE_CHARS",
    "JAVA_TRIM",
    "JAVA_WORD",
    "java_parse_double",
    "java_trim",
]

#: The characters ``String.trim`` strips: every character up to and including the space.
JAVA_TRIM = "".join(map(chr, range(0x21)))

#: The characters of Java's regex ``\s`` (for ``str.strip`` and inside a regex class).
JAVA_SPACE_CHARS = " \t\n\x0b\f\r"
#: Java's regex ``\s``
JAVA_SPACE = r"[ \t\n\x0b\f\r]"
#: Java's regex ``.``: anything but a line terminator
JAVA_DOT = r"[^\n\r\u0085\u2028\u2029]"
#: Java's regex ``\w`` and ``\W``
JAVA_WORD = "[A-Za-z0-9_]"
JAVA_NON_WORD = "[^A-Za-z0-9_]"

# What Double.parseDouble accepts after trimming (hexadecimal floats aside).
_JAVA_DOUBLE = re.compile(
    r"[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)"
)


def java_trim(text: str) -> str:
    """``String.trim``: strip every character up to U+0020 from both ends."""
    return text.strip(JAVA_TRIM)


def java_parse_double(text: str) -> float | None:
    """``Double.parseDouble`` (decimal forms), None where Java throws NumberFormatException."""
    text = text.strip(JAVA_TRIM)
    if not _JAVA_DOUBLE.fullmatch(text):
        return None
    return float(text.rstrip("fFdD").replace("Infinity", "inf"))
