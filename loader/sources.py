"""Source texts: split into paragraphs and sentences, hash sentences, resolve locators.

A locator is (source id, paragraph index, sentence index, SHA-256 of the normalised
sentence). Paragraphs are blocks separated by blank lines; sentences are split at
end punctuation (with any trailing footnote marks) followed by a capital letter.
Both indexes start at 1. The splitting is deterministic, so a locator made today
resolves to the same sentence tomorrow, and a changed text shows as a hash mismatch.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loader.names import normalise, searchable

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# end punctuation, then closing quotes/brackets and stray footnote marks, then space
# and a capital (or an opening quote) starts the next sentence
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]®™?0-9¹²³⁴⁵⁶⁷⁸⁹⁰]*\s+(?=[\"“‘(\[]?[A-Z])")
_NO_BREAK_AFTER = ("U.S.", "St.", "Mr.", "Mrs.", "Dr.", "No.", "vs.")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a source, with its place and hash."""

    source: str
    para: int
    sent: int
    text: str

    @property
    def sha256(self) -> str:
        """SHA-256 of the normalised sentence text."""
        return sentence_hash(self.text)


def sentence_hash(text: str) -> str:
    """SHA-256 hex digest of the normalised sentence."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences."""
    text = normalise(paragraph)
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        head = text[start : match.start()]
        if head.endswith(_NO_BREAK_AFTER) and not head.endswith(" the U.S."):
            continue
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def segment(text: str) -> list[list[str]]:
    """Paragraphs of sentences; empty paragraphs are dropped."""
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")) if p.strip()]
    return [split_sentences(p) for p in paragraphs]


def sentences(path: Path, source_id: str) -> tuple[Sentence, ...]:
    """Every sentence of one source file as it is now, in order (read again when the file
    changes)."""
    stat = Path(path).stat()
    return _sentences(Path(path), source_id, stat.st_mtime_ns, stat.st_size)


@cache
def _sentences(path: Path, source_id: str, mtime_ns: int, size: int) -> tuple[Sentence, ...]:
    paragraphs = segment(path.read_text(encoding="utf-8"))
    return tuple(
        Sentence(source_id, p, s, text)
        for p, para in enumerate(paragraphs, start=1)
        for s, text in enumerate(para, start=1)
    )


def file_hash(path: Path) -> str:
    """SHA-256 of a whole source file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find(path: Path, source_id: str, words: str) -> list[Sentence]:
    """Sentences that contain every word of ``words`` (compared in searchable form)."""
    wanted = searchable(words).split()
    return [
        s for s in sentences(path, source_id) if all(f" {w} " in searchable(s.text) for w in wanted)
    ]
