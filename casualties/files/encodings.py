"""A text file's encoding: told by the user, or found from its bytes; never guessed wrong quietly.

Found in this order: a byte-order mark (UTF-8, UTF-16, UTF-32, as Excel's
"Unicode text" and "CSV UTF-8" write them); UTF-16 without one (every other
byte nil); UTF-8 if every byte of the file says so; else one of the two
Windows code pages desks save CSV in, Arabic (cp1256) or Western (cp1252),
by the words its non-ASCII bytes make. Either way the whole file must decode:
a byte the encoding has no character for is refused with its line, not
replaced. A file of nil and control bytes (a workbook or an image renamed
.csv) is refused as no text.

charset-normalizer was tried for the last step and left out: on a CSV that
is mostly ASCII (codes, dates, counts) with an Arabic quote it answered
mac_iceland, and cp1257 for a French one.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InvalidInput, UnreadableFile

BLOCK_BYTES = 1 << 24
SAMPLE_BYTES = 1 << 16  # what nil and control bytes are looked for in
BOMS = (  # UTF-32's marks first: UTF-16's little-endian one begins them
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes no text file holds (a tab, line breaks, form feed and escape aside).
CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# A word holding a byte beyond ASCII: what tells Arabic from Western text.
NON_ASCII_WORD = re.compile(rb"[^\s,;|\t\"'()\[\]0-9]*[\x80-\xff][^\s,;|\t\"'()\[\]0-9]*")
ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff\u200c\u200d]+")
WORDS_ENOUGH = 200  # non-ASCII words that settle which code page


def text_encoding(path: Path, told: str | None = None) -> str:
    """The encoding the whole file decodes in: `told`, or found from its bytes."""
    encoding = known_encoding(told) if told is not None else _found_encoding(path)
    _refuse_undecodable(path, encoding, told is not None)
    return encoding


def known_encoding(name: str) -> str:
    """The codec's name, or InvalidInput if Python has no such text encoding."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InvalidInput(f"{name!r} is no text encoding (utf-8, cp1256, cp1252…)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise InvalidInput(f"{name!r} is no text encoding (utf-8, cp1256, cp1252…)")
    return name


def _found_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    for bom, encoding in BOMS:
        if sample.startswith(bom):
            return encoding
    if b"\x00" in sample:
        return _utf16_without_mark(path, sample)
    controls = len(CONTROL.findall(sample))
    if controls > max(len(sample) // 100, 2):
        raise UnreadableFile(path, "is not text (a workbook or other binary file named .csv?)")
    if _all_utf8(path):
        return "utf-8-sig"  # a mark, if there is one, is not part of the first cell
    return _windows_code_page(path)


def _utf16_without_mark(path: Path, sample: bytes) -> str:
    """UTF-16 where every other byte is nil (ASCII text so written), else no text."""
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    raise UnreadableFile(path, "is not text (a workbook or other binary file named .csv?)")


def _all_utf8(path: Path) -> bool:
    """Whether every byte says UTF-8: the whole file is checked, a block at a time (a
    Windows "CSV (Comma delimited)" file may hold its first accented name a million rows down).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while block := handle.read(BLOCK_BYTES):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _windows_code_page(path: Path) -> str:
    """cp1256 where the non-ASCII words read as Arabic in it, else cp1252.

    An Arabic word is all bytes beyond ASCII (letters 0xC1-0xFE); a Western
    word with an accent has plain letters beside it (Café, Zürich).
    """
    arabic = western = 0
    with path.open("rb") as handle:
        while (block := handle.read(BLOCK_BYTES)) and arabic + western < WORDS_ENOUGH:
            for word in NON_ASCII_WORD.findall(block):
                letters = [c for c in word.decode("cp1256") if c.isalpha() and not c.isascii()]
                if not letters:
                    continue  # quotation marks, dashes, €: the same in both
                if not any(b < 0x80 for b in word) and ARABIC.fullmatch("".join(letters)):
                    arabic += 1
                else:
                    western += 1
    return "cp1256" if arabic > western else "cp1252"


def _refuse_undecodable(path: Path, encoding: str, told: bool) -> None:
    """Refuse a file with a byte the encoding has no character for, naming its line."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as handle:
        try:
            while block := handle.read(BLOCK_BYTES):
                decoder.decode(block)
                lines += block.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            before = block[: max(error.start, 0)]
            line = lines + before.count(b"\n")
            byte = block[error.start : error.start + 1].hex() if error.start < len(block) else ""
            said = "the encoding given" if told else "the encoding its bytes suggest"
            raise UnreadableFile(
                path,
                f"line {line}: byte 0x{byte or '??'} is not {encoding} text ({said}): "
                "name the file's encoding with --encoding (utf-8, cp1256, cp1252, utf-16…)",
            ) from None
