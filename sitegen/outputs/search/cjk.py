"""Chinese text as the index and the search page spell it: each Han character a word of its own.

Pagefind's extended build segments Chinese with a dictionary, and the browser's
Intl.Segmenter segments queries another way: the two disagree, and recall
suffers. Spaced out, every Han character is a word, and the search page looks a
term up as an exact phrase of them (docs/search.md).
"""

from __future__ import annotations

import re
import unicodedata

from sitegen.content.text import HAN

_HAN_RE = re.compile(f"([{HAN}])")
_SPACES = re.compile(r"[ \t\r\n\f]{2,}")
# Pagefind indexes 6.9 as a compound whose parts share one position, so no phrase
# finds it; a decimal point becomes 丶 (U+4E36, the "dot" radical, absent from the
# plans), a word of its own: 6.9 -> 6 丶 9. The search page spells queries the same way.
_DECIMAL = re.compile(r"(?<=[0-9])\.(?=[0-9])")
DECIMAL_POINT = "\u4e36"


def _fold(ch: str) -> str:
    """Full-width letters and digits, and compatibility ideographs, as the query will spell them (NFKC)."""
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A or 0xF900 <= o <= 0xFAFF:
        return unicodedata.normalize("NFKC", ch)
    return ch


def folded(text: str) -> str:
    """Text as the search compares it: NFKC-folded letters, digits and ideographs, lower case."""
    return "".join(_fold(c) for c in text).lower()


class Spacer(dict):
    """spaced() with a str.translate table of its own: each character folded, a Han one with a
    space each side. The table fills as characters are first met, so translate runs in C for all
    but a text's new characters; one Spacer serves a whole index run."""

    def __missing__(self, o: int) -> str:
        ch = _fold(chr(o))
        self[o] = value = f" {ch} " if _HAN_RE.fullmatch(ch) else ch
        return value

    def __call__(self, text: str, *, tidy: bool = True) -> str:
        """Every Han character as a word of its own: '抽检6.9批' -> ' 抽 检 6 丶 9 批 '. Runs of spaces
        are made one unless `tidy` is false (a whole page for the index: Pagefind reads any run as one)."""
        text = _DECIMAL.sub(f" {DECIMAL_POINT} ", text.translate(self))
        return _SPACES.sub(" ", text) if tidy else text


def spaced(text: str, *, tidy: bool = True) -> str:
    """Spacer()(text): for a text or two; an index run keeps one Spacer for all its pages."""
    return Spacer()(text, tidy=tidy)
