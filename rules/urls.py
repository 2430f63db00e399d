"""URL, bare-domain, e-mail and IPv4 extraction shared by 7(1)エ, 7(1)オ, 5(9) and 7(2)エ.

Candidates are maximal runs of RFC 3986 ASCII characters, found by one linear regex (no
backtracking), so a URL never swallows the Japanese text after it. Each run is then
taken apart in Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Cyrillic and Greek letters that look like Latin ones: a link spelt with them is a
# different host dressed up as a known one (bіt.ly with a Cyrillic і, city.matsumotо…).
CONFUSABLES = str.maketrans(
    "аеорсухіјѕһԁԛԝкмтвнАВЕКМНОРСТХЅІЈοανρικτυχΑΒΕΖΗΙΚΜΝΟΡΤΧΥ",
    "aeopcyxijshdqwkmtbhABEKMHOPCTXSIJoavpiktuxABEZHIKMNOPTXY",
)
_CONFUSABLE_CHARS = "".join(sorted({chr(c) for c in CONFUSABLES}))
_RUN_RE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%" + re.escape(_CONFUSABLE_CHARS) + r"]+")
# Also the mangled schemes used to slip past link filters: ttps://, https//, https:/.
_SCHEME_RE = re.compile(r"(?:h?ttps?|ftp)(?::/{1,3}|//)", re.IGNORECASE)
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)
_BARE_RE = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,10}[A-Za-z]{2,24}\.?"
    r"(?::[0-9]{1,5})?(?=[/?#]|$)"
)
_IPV4_RE = re.compile(r"(?<![0-9.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9]|\.[0-9])")
_TRAILING = ".,;:!?'\"*"

INTERNAL_TLDS = frozenset(
    {"local", "internal", "corp", "lan", "intranet", "intra", "localdomain", "home", "localhost"}
)
_GTLDS = frozenset(
    {
        "com",
        "net",
        "org",
        "info",
        "biz",
        "edu",
        "gov",
        "mil",
        "int",
        "name",
        "pro",
        "mobi",
        "asia",
        "tokyo",
        "osaka",
        "nagoya",
        "kyoto",
        "yokohama",
        "okinawa",
        "ryukyu",
        "app",
        "dev",
        "page",
        "site",
        "online",
        "xyz",
        "club",
        "shop",
        "top",
        "news",
        "blog",
        "tech",
        "store",
        "art",
        "link",
        "live",
        "life",
        "world",
        "today",
        "click",
        "space",
        "fun",
        "website",
        "cloud",
        "design",
        "media",
        "jobs",
        "travel",
        "events",
        "museum",
        "email",
        "digital",
        "network",
        "systems",
        "solutions",
        "company",
        "center",
        "city",
        "town",
        "moe",
        "ninja",
    }
)
# Two-letter endings that are far more often file extensions than links in a post.
_FILE_EXTENSIONS = frozenset({"js", "py", "md", "rb", "sh", "ts", "cs", "pl", "ps", "gz", "xz"})


@dataclass(frozen=True, slots=True)
class UrlHit:
    """A link-like thing in the normalised text."""

    kind: str  # "url" (with scheme), "bare" (domain without scheme), "email"
    start: int
    end: int
    host: str  # lower case, trailing dot removed; look-alike letters mapped to Latin
    path: str
    local: str = ""  # e-mail local part
    homograph: bool = False  # the host was spelt with look-alike (Cyrillic/Greek) letters


@dataclass(frozen=True, slots=True)
class IpHit:
    """A dotted-quad IPv4 address."""

    start: int
    end: int
    octets: tuple[int, int, int, int]


def _trim(run: str, a: int) -> tuple[str, int]:
    """Drop punctuation around a run; a closing bracket stays when it closes one."""
    start = 0
    while start < len(run) and run[start] in "([<'\":;,!*":
        start += 1
    end = len(run)
    opened = {")": run.count("(", start), "]": run.count("[", start)}
    closed = {")": run.count(")", start), "]": run.count("]", start)}
    while end > start:
        last = run[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in closed and opened[last] < closed[last]:
            closed[last] -= 1
            end -= 1
        else:
            break
    return run[start:end], a + start


def _bare_ok(host: str) -> bool:
    tld = host.rsplit(".", 1)[-1]
    if tld in INTERNAL_TLDS or tld in _GTLDS:
        return True
    return len(tld) == 2 and tld.isalpha() and tld not in _FILE_EXTENSIONS


def _split_authority(rest: str) -> tuple[str, str]:
    cut = len(rest)
    for sep in "/?#":
        k = rest.find(sep)
        if 0 <= k < cut:
            cut = k
    authority, path = rest[:cut], rest[cut:]
    authority = authority.rsplit("@", 1)[-1]
    if authority.startswith("["):
        return authority.lower(), path
    host = authority.split(":", 1)[0]
    return host.lower().rstrip("."), path


def extract(text: str) -> tuple[list[UrlHit], list[IpHit]]:
    """Find links, e-mail addresses and IPv4 addresses in normalised text."""
    urls: list[UrlHit] = []
    ips: list[IpHit] = []
    for m in _RUN_RE.finditer(text):
        raw = m.group()
        if not raw.isascii():
            skeleton = raw.translate(CONFUSABLES)
            if not skeleton.isascii() or not any(c.isascii() and c.isalpha() for c in raw):
                continue  # Greek or Cyrillic words, not a disguised link
            if "." not in skeleton:
                continue
            hits, _ = extract(skeleton)
            for h in hits:
                if h.kind != "email":
                    urls.append(
                        UrlHit(
                            h.kind,
                            m.start() + h.start,
                            m.start() + h.end,
                            h.host,
                            h.path,
                            homograph=not raw[h.start : h.end].isascii(),
                        )
                    )
            continue
        if "." not in raw:
            # (a scheme holds a "/": most dotless runs are numbers and brackets)
            if "/" in raw and _SCHEME_RE.search(raw):  # http://intranet/ has no dot
                pass
            else:
                continue
        run, a = _trim(raw, m.start())
        if not run:
            continue
        for ip in _IPV4_RE.finditer(run):
            octets = tuple(int(g) for g in ip.groups())
            if all(o <= 255 for o in octets):
                ips.append(IpHit(a + ip.start(), a + ip.end(), octets))  # type: ignore[arg-type]
        scheme = _SCHEME_RE.search(run)
        if scheme:
            s = scheme.start()
            host, path = _split_authority(run[scheme.end() :])
            if host:
                urls.append(UrlHit("url", a + s, a + len(run), host, path))
            continue
        emails = list(_EMAIL_RE.finditer(run))
        if emails:
            for e in emails:
                local, _, domain = e.group().partition("@")
                urls.append(
                    UrlHit(
                        "email", a + e.start(), a + e.end(), domain.lower().rstrip("."), "", local
                    )
                )
            continue
        if "@" in run:
            continue
        body = run[4:] if run[:4].lower() == "www." else run
        bare = _BARE_RE.match(body)
        if bare is None:
            continue
        host_port = bare.group()
        host = host_port.split(":", 1)[0].lower().rstrip(".")
        if _IPV4_RE.fullmatch(host) or not _bare_ok(host):
            continue
        if run is not body:
            host = "www." + host
        urls.append(UrlHit("bare", a, a + len(run), host, body[bare.end() :]))
    return urls, ips


def host_matches(host: str, domains: frozenset[str]) -> str | None:
    """The most specific entry of ``domains`` that ``host`` equals or is a subdomain of."""
    labels = host.split(".")
    for i in range(len(labels)):
        suffix = ".".join(labels[i:])
        if suffix in domains:
            return suffix
    return None


_SCHEME_PREFIX = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True, slots=True)
class TrustedLinks:
    """Links the caller vouches for on one check (official account URLs, extra domains).

    An entry with a path (``https://www.youtube.com/@city_official``) trusts that page and
    everything below it on the same host (``www.`` ignored); an entry without a path
    (``city.example.jp`` or ``https://city.example.jp/``) trusts the host and its subdomains.
    """

    domains: frozenset[str] = frozenset()
    prefixes: tuple[tuple[str, str], ...] = ()  # (host without www., path without trailing /)

    @classmethod
    def parse(cls, entries: Iterable[str]) -> TrustedLinks:
        """Build from URLs or domains; entries that are not links are ignored."""
        domains: set[str] = set()
        prefixes: set[tuple[str, str]] = set()
        for raw in entries:
            entry = (raw or "").strip()
            if not entry:
                continue
            rest = _SCHEME_PREFIX.sub("", entry)
            host, path = _split_authority(rest)
            host = _strip_www(host)
            if not host or "." not in host or " " in host:
                continue
            path = path.split("?", 1)[0].split("#", 1)[0].rstrip("/")
            if path:
                prefixes.add((host, path.lower()))
            else:
                domains.add(host)
        return cls(frozenset(domains), tuple(sorted(prefixes)))

    def __bool__(self) -> bool:
        return bool(self.domains or self.prefixes)

    def trusts(self, host: str, path: str) -> bool:
        """True when a link to ``host`` + ``path`` is one the caller vouched for."""
        h = _strip_www(host)
        if host_matches(h, self.domains):
            return True
        p = path.split("?", 1)[0].split("#", 1)[0].lower()
        for th, tp in self.prefixes:
            if h == th and (p == tp or p.startswith(tp + "/") or p == tp + "/"):
                return True
        return False
