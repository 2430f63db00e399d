"""Render ``docs/rules.md`` from the rules' own metadata (``python -m rules docs``)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from .checker import Checker
from .data import ENV_VAR
from .registry import FAMILIES
from .shorteners import Shorteners

_HEADER = f"""# The content check (`rules/`)

The reference part (up to the line "Hand-written below") is generated from the rule
metadata by `python -m rules docs --write`; edit the rule modules, not that part. The
sections after it (measuring the check, the measured figures per round) are written by
hand and kept by `--write`. Every rule family is one package under `rules/` whose
docstring names its clause; its data files sit beside it.

## Using it

```python
from rules import check, Checker, Config

report = check(text)                 # default data (or ${ENV_VAR})
report.verdict                       # "block" | "review" | "ok"
report.findings                      # sorted by start; text[f.start:f.end] == f.excerpt
report.blocking                      # the findings that stop submission
report.to_dict()                     # JSON-ready

config = Config.load().extend(public_numbers=["0263-00-0000"], trusted_domains=["example.jp"])
checker = Checker(config)            # build once at start-up (fails fast on bad data files)
checker.check(text)
```

CLI: `python -m rules check [--json | --jsonl] [--data-dir DIR] [FILE ...]` prints
`path:line:col clause severity message [rule-id]`; exit 0 when nothing blocks, 1 when
something blocks, 2 on a usage or data-file error. `--jsonl` reads `{{"id", "text"}}` per
line from stdin and writes `{{"id", "verdict", "findings"}}` (or `{{"id", "line", "error"}}`)
per line, in order, with a progress line on stderr when stderr is a terminal.

## How text is read

Before any rule runs, the text is normalised once into views that keep an offset map to
the original: invisible characters (zero-width, bidi controls, soft hyphen, variation
selectors, tags, lone surrogates, C0/C1 controls) are dropped; NFKC is applied per
character cluster (full-width letters and digits, half-width katakana with their voiced
marks, mathematical digits); one or two spaces between kana/kanji are dropped (部 外 秘);
`hxxp`, `ttps://`, `[.]`, `(.)`, `[dot]`, `[at]` (also ` (at) `, ` (dot) ` with the spaces
around them) are defanged; a domain spelt one letter at a time (`t i n y u r l . c o m`) is
joined up, and an IPv4 address written with 。 gets its dots; a word spelt one kana at a time
between 「・」 (よ・て・い・か・か・く) is closed up, and a line of two or three kanji alone is
joined to the word it was split from on the next line (内部⏎資料); a line break between
two kana/kanji is dropped when the few characters around it, tokenized joined up, have a
morpheme running across it (決⏎まって, 教⏎団, 出たら⏎しい), and one inside a label of a host
name is dropped when a known top-level domain ends it (vpn.city.exa⏎mple.lg.jp); for number
rules, kanji numerals become digits (〇九〇 → 090, 二十三 → 23) and hyphen look-alikes between
digits (including ・) become `-`. Lexicon terms are expanded once, at load time, into their evasive
spellings (katakana for three-kana terms, either kana script for longer ones, look-alike kanji
力口工夕卜二八才一 for katakana, ASCII case). Findings always point into the text as written.

The fugashi `Tagger` (UniDic Lite) is created once per process. Tokenization is lazy and
per sentence: only a sentence where a rule needs morphemes (a name near a case word, a
short lexicon hit to confirm on morpheme boundaries, hearsay らしい/そう) is tokenized, at most
once per check, and the same tokens go to every rule. Most posts need no tokenization.

## Data files

Bundled files sit beside their rule module; a file with the same name in the folder named
by `${ENV_VAR}` (or `--data-dir`) replaces the bundled one. A malformed file stops start-up
with `file:line: reason`. UTF-8; blank lines and `#` comments are ignored.

* **List files** (`*.txt`): one entry per line. Domains are lower case, subdomains match.
* **`public_numbers.tsv`**: `number<TAB>label`; separators are ignored; a trailing `*`
  makes a prefix. The shipped numbers are EXAMPLE DATA for the city to replace.
* **Phrase files** (`*_terms.tsv`, `*_markers.tsv`, `*_phrases.tsv`):
  `term<TAB>severity` then optional `key=value` columns. `term` may list variants with `|`.
  Keys: `clause`, `category`, `note`, `not_before` (regex on the text just before),
  `not_after` (regex on the text just after), `needs` / `unless` (regex in the same
  sentence), `unless_post` (regex anywhere in the post), `pos` (UniDic part of speech of
  the first morpheme), `lemma` (UniDic lemma of the first morpheme, e.g. `そう-伝聞`),
  `match` (`token`: the hit must start and end on morpheme boundaries and must not be a
  name in use, i.e. a place name or a person's name with an honorific or beside another
  name part; `substring`; or `auto`, the default: `token`
  for terms of one or two characters or up to four kana, else `substring`).
* **`allow_phrases.txt`**: excerpts the city has confirmed as false positives.

## Rules
"""


MARKER = "<!-- Hand-written below: `python -m rules docs --write` keeps what follows. -->\n"


def write(path: Path) -> None:
    """Regenerate the reference part of ``path``, keeping its hand-written tail."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    tail = old.split(MARKER, 1)[1] if MARKER in old else ""
    path.write_text(render() + tail, encoding="utf-8")


def render() -> str:
    """The Markdown text of docs/rules.md."""
    from .config import Config

    cfg = Config.load(data_dir=None)
    checker = Checker(cfg)
    short = cast(Shorteners, checker.data("shorteners"))
    out = [_HEADER]
    index = ["| rule | clause | severity | title |", "|---|---|---|---|"]
    sections = []
    for family in FAMILIES:
        files = [pf.filename for pf in family.phrases]
        doc_first = family.doc.strip().splitlines()[0]
        for rule in family.rules:
            index.append(f"| `{rule.id}` | {rule.clause} | {rule.severity} | {rule.title} |")
            data = ", ".join(f"`rules/{f}`" for f in files) if files else "—"
            sections.append(
                "\n".join(
                    [
                        f"### `{rule.id}` — {rule.title} ({rule.clause})",
                        "",
                        f"Module `rules.{family.name}` ({doc_first}). Data: {data}.",
                        "",
                        f"**What it does.** {rule.what}",
                        "",
                        f"**Why.** {rule.why}",
                        "",
                        f"**Example.** 「{rule.example}」",
                        "",
                        f"**Use instead.** {rule.use_instead}",
                        "",
                    ]
                )
            )
    out.append("\n".join(index) + "\n")
    out.extend(sections)
    out.append(
        f"## Sizes of the bundled data\n\n"
        f"* URL shorteners: {len(short.block)} blocked, {len(short.review)} reviewed\n"
        f"* phrase entries (all lexicons): {len(checker.phrases)}\n"
        f"* trusted domains: {len(cfg.trusted_domains)}; published numbers: "
        f"{len(cfg.public_numbers)}\n"
    )
    return "\n".join(out) + "\n" + MARKER
