"""Sentence finding: an article's plain text and where each of its sentences starts and ends.

HTML is read down to its text (scripts and styles dropped, a block tag a
paragraph break, entities read), then the text is cut into sentences at a
stop before a capital and at blank lines, but not after the abbreviations
news text writes with a stop ("Dr.", "U.N.", "Dec."). Spans are offsets into
the text, so a draft's quote can point back at its words.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Month abbreviations: a stop after one ends no sentence ("Dec. 6").
MONTH_NAMES = r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
ABBREVIATIONS = re.compile(
    rf"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|St|No|U\.S|U\.K|U\.N|E\.U|({MONTH_NAMES}))\.$)"
)


def text_of(document: str) -> str:
    """Plain text: HTML markup stripped (scripts, styles and tags), entities read."""
    if not re.search(r"<(?:p|div|html|body|br|span|article|h\d)\b", document, re.I):
        return document
    reader = _TextOnly()
    reader.feed(document)
    return html.unescape("".join(reader.parts))


class _TextOnly(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "article", "section", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript"):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: cut at . ! ? before a capital, and at blank lines."""
    spans, start = [], 0
    for cut in re.finditer(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])|\n\s*\n", text):
        before = text[start : cut.start()].rstrip()
        if ABBREVIATIONS.search(before) and not cut.group(0).startswith("\n"):
            continue
        if before.strip():
            spans.append(_trimmed(text, start, cut.start()))
        start = cut.end()
    if text[start:].strip():
        spans.append(_trimmed(text, start, len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
