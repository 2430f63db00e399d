"""The content check: run every rule family over one shared context."""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import cast

from .config import Config
from .context import Context
from .data import DataError, PhraseEntry
from .family import Adjust, DataFiles, RuleDoc
from .matcher import TermMatcher
from .model import Finding, Report, Severity
from .normalize import normalize_plain, variants
from .registry import FAMILIES, rule_docs
from .statistical import Weights
from .statistical import findings as statistical_findings
from .tokens import Token
from .urls import TrustedLinks

_NAME_SUFFIX = re.compile(
    r"さん|様|さま|氏|君|くん|ちゃん|選手|先生|殿|家|一族|監督|議員|市長|知事"
)
MAX_LENGTH = 2_000_000  # characters; far above any post, guards memory on bad input


_NO_TRUST = TrustedLinks()


@lru_cache(maxsize=64)
def _trusted_cached(entries: tuple[str, ...]) -> TrustedLinks:
    return TrustedLinks.parse(entries)


def _trusted(entries: Iterable[str]) -> TrustedLinks:
    if isinstance(entries, TrustedLinks):
        return entries
    key = tuple(entries)
    if not key:
        return _NO_TRUST
    if not all(isinstance(e, str) for e in key):
        raise TypeError("trusted_urls must be strings")
    return _trusted_cached(key)


@lru_cache(maxsize=4)
def _weights(path: Path) -> Weights:
    try:
        return Weights.load(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: not a statistical tier weights file ({exc})") from exc


class Checker:
    """A reusable checker bound to one :class:`Config` (thread-safe, cheap to call)."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config if config is not None else Config.load()
        # Every family loads its own data now, so a bad data file fails at start-up.
        files = DataFiles(self.config.data_dir)
        self._data = {f.name: f.load(files) if f.load else None for f in FAMILIES}
        self._docs = rule_docs()
        self._adjust: dict[str, Adjust | None] = {}
        phrases: list[PhraseEntry] = []
        for fam in FAMILIES:
            for pf in fam.phrases:
                phrases.extend(files.phrases(pf))
                self._adjust[pf.rule] = fam.adjust
        self.phrases = tuple(phrases)
        by_term: dict[str, list[PhraseEntry]] = {}
        for e in phrases:
            for v in sorted(variants(e.term)):
                entries = by_term.setdefault(v, [])
                if e not in entries:
                    entries.append(e)
        self._by_term = by_term
        self._matcher = TermMatcher(by_term)
        # The statistical tier's model (rules/statistical/weights.json, or the override
        # folder's weights.json), read only when the tier is switched on.
        self._weights: Weights | None = None
        if self.config.statistical:
            self._weights = _weights(files.path("statistical/weights.json"))

    def data(self, family: str) -> object:
        """What family ``family`` loaded (its own data object)."""
        return self._data[family]

    def check(self, text: str, *, trusted_urls: Iterable[str] = ()) -> Report:
        """Check one text and return its report.

        ``trusted_urls``: links the caller vouches for on this check, e.g. the official
        account URLs the bot's account registry has confirmed (``https://www.youtube.com/@x``
        trusts that channel's pages) or extra domains (``example.lg.jp`` trusts the host and
        its subdomains). They are not reported as third-party links (7(2)エ).
        """
        if not isinstance(text, str):
            raise TypeError(f"check() needs str, not {type(text).__name__}")
        if len(text) > MAX_LENGTH:
            raise ValueError(f"text too long ({len(text)} > {MAX_LENGTH} characters)")
        if not text:
            return Report(())
        ctx = Context(text, self.config, _trusted(trusted_urls), self._data)
        found: list[Finding] = list(self._phrases(ctx))
        if found:
            phrase_hits = tuple(found)
            for family in FAMILIES:
                if family.follow is not None:
                    found.extend(family.follow(ctx, phrase_hits))
        for family in FAMILIES:
            if family.scan is not None:
                found.extend(family.scan(ctx))
        if self._weights is not None:
            found.extend(statistical_findings(ctx, found, self._weights))
        return Report(self._finish(found))

    def _phrases(self, ctx: Context) -> Iterator[Finding]:
        norm = ctx.norm.text
        by_term = self._by_term
        for a, b, term in self._matcher.finditer(norm):
            for entry in by_term[term]:
                if entry.not_before is not None and entry.not_before.search(
                    norm, max(0, a - 12), a
                ):
                    continue
                if entry.not_after is not None and entry.not_after.match(norm[b : b + 24]):
                    continue
                if entry.needs is not None or entry.unless is not None:
                    sentence = ctx.sentence_text(a, b)
                    if entry.needs is not None and not entry.needs.search(sentence):
                        continue
                    if entry.unless is not None and entry.unless.search(sentence):
                        continue
                if entry.unless_post is not None and entry.unless_post.search(norm):
                    continue
                if entry.match == "token" or entry.pos or entry.lemma:
                    if not ctx.on_token_boundaries(a, b):
                        continue
                    tok = ctx.token_at(a)
                    if tok is not None and tok.pos2 == "固有名詞" and self._used_as_name(ctx, tok):
                        continue  # 土方さん, 土方歳三 are names
                    if entry.pos and (tok is None or tok.pos1 != entry.pos):
                        continue
                    if entry.lemma and (tok is None or tok.lemma != entry.lemma):
                        continue
                severity, clause = entry.severity, entry.clause
                adjust = self._adjust.get(entry.rule)
                if adjust is not None:
                    adjusted = adjust(ctx, entry, a, b)
                    if adjusted is None:
                        continue
                    severity, clause = adjusted
                doc: RuleDoc = self._docs[entry.rule]
                yield ctx.finding(
                    ctx.norm,
                    a,
                    b,
                    rule=entry.rule,
                    clause=clause,
                    severity=cast(Severity, severity),
                    message=doc.format(ctx.display(ctx.norm, a, b), clause),
                )
                break

    @staticmethod
    def _used_as_name(ctx: Context, tok: Token) -> bool:
        """A place name, or a person's name with an honorific or beside another name part."""
        if tok.pos3 == "地名":
            return True
        if tok.pos3 != "人名":
            return False
        if _NAME_SUFFIX.match(ctx.norm.text, tok.end):
            return True
        before = ctx.token_at(tok.start - 1) if tok.start else None
        after = ctx.token_at(tok.end) if tok.end < len(ctx.norm.text) else None
        return any(t is not None and t.is_person_name for t in (before, after))

    def _finish(self, found: list[Finding]) -> tuple[Finding, ...]:
        cfg = self.config
        out: list[Finding] = []
        seen: set[tuple[str, str, int, int]] = set()
        for f in sorted(found, key=lambda f: (f.start, -f.end, f.rule)):
            if f.rule in cfg.disabled_rules:
                continue
            if cfg.allow_phrases and normalize_plain(f.excerpt) in cfg.allow_phrases:
                continue
            key = (f.rule, f.clause, f.start, f.end)
            if key in seen:
                continue
            # Same rule, span inside one already reported: keep the wider one.
            if out and any(
                o.rule == f.rule and o.clause == f.clause and o.start <= f.start and f.end <= o.end
                for o in out[-4:]
            ):
                continue
            seen.add(key)
            out.append(f)
        return tuple(out)


_default: Checker | None = None
_default_lock = threading.Lock()


def default_checker() -> Checker:
    """The process-wide checker with the default (or environment-overridden) data."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Checker()
    return _default


_by_config: dict[int, tuple[weakref.ref[Config], Checker]] = {}


def check(text: str, *, config: Config | None = None, trusted_urls: Iterable[str] = ()) -> Report:
    """Check ``text`` against the guideline; ``config`` overrides the default data.

    ``trusted_urls`` are links the caller vouches for on this call (see
    :meth:`Checker.check`), e.g. the account registry's confirmed official account URLs.

    A checker is built once per ``Config`` object and reused, so passing the same config
    on every call costs nothing extra.
    """
    if config is None:
        return default_checker().check(text, trusted_urls=trusted_urls)
    cached = _by_config.get(id(config))
    if cached is None or cached[0]() is not config:
        cached = (weakref.ref(config), Checker(config))
        with _default_lock:
            for key in [k for k, (ref, _) in _by_config.items() if ref() is None]:
                del _by_config[key]
            _by_config[id(config)] = cached
    return cached[1].check(text, trusted_urls=trusted_urls)
