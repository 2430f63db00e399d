"""One shared fugashi Tagger and the token list every rule reads (Presidio-style).

The tagger is created once per process, lazily, and a text is tokenized at most once per
check (``Context.tokens``); rules never call the tagger themselves.
"""

from __future__ import annotations

import csv
import threading
from typing import Any, NamedTuple

_tagger: Any = None
_lock = threading.Lock()


def get_tagger() -> Any:
    """The process-wide fugashi Tagger (UniDic Lite)."""
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                import fugashi  # imported lazily: start-up of the CLI stays fast

                _tagger = fugashi.Tagger()
    return _tagger


class Token(NamedTuple):
    """A morpheme with offsets into the normalised text it was cut from.

    A named tuple: built for every morpheme of every tokenized sentence, and a tuple is
    several times cheaper to create than a frozen dataclass.
    """

    surface: str
    start: int
    end: int
    pos1: str
    pos2: str
    pos3: str
    pos4: str
    lemma: str

    @property
    def is_person_name(self) -> bool:
        """UniDic 名詞,固有名詞,人名."""
        return self.pos2 == "固有名詞" and self.pos3 == "人名"


def _fields(raw: str) -> list[str]:
    head = raw.split(",", 8)
    if '"' in raw and any('"' in f for f in head[:8]):
        head = next(csv.reader([raw]))
    return head + ["*"] * (8 - len(head))


# ``Token(...)`` runs the named tuple's ``__new__``, a Python function, once per morpheme;
# ``tuple.__new__(Token, fields)`` builds the same object in C (about a third of the time
# tokenize spent on top of MeCab itself).
_new_tuple = tuple.__new__


def tokenize(text: str, base: int = 0) -> list[Token]:
    """Tokenize ``text`` with the shared tagger; offsets are into ``text``, plus ``base``."""
    if not text:
        return []
    tagger = get_tagger()
    out: list[Token] = []
    append = out.append
    find = text.find
    pos = 0
    # MeCab itself splits on NUL and cannot take it; normalisation already removed it.
    with _lock:
        nodes = tagger.parseToNodeList(text)
        for node in nodes:
            surface = node.surface
            # Surfaces come in order; MeCab only skips white space between them.
            start = find(surface, pos)
            if start < 0:
                continue
            end = pos = start + len(surface)
            raw = node.feature_raw
            f = raw.split(",", 8)
            if len(f) < 8 or '"' in raw:
                f = _fields(raw)
            append(
                _new_tuple(Token, (surface, start + base, end + base, f[0], f[1], f[2], f[3], f[7]))
            )
    return out
