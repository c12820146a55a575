"""References that stay true: each bib entry compared with its DOI's record at Crossref.

For every entry with a ``doi``, :class:`Client` fetches Crossref's REST record
(``/works/{doi}``) and :func:`compare` checks title, first author's family name, year,
journal, volume, issue and first page against the entry, tolerant of case, punctuation,
LaTeX markup, HTML in the record, Unicode dashes and journal abbreviations (the record's
short titles, its ISSNs, or an abbreviation whose words start the full title's words).
Where an entry gives a ``pmid``, PubMed's E-utilities say which DOI that PMID belongs to.
The record's ``updated-by`` / ``update-to`` / ``relation`` fields name retractions,
corrections and other notices.

Each finding reads ``bib/references.bib:LINE: entry 'key': year 2013 but the DOI's record
says 2012``; entries without a DOI are listed as unchecked, with their kind. The bib is
read by :mod:`medsite.bibcheck` (pybtex, with lines); nothing else parses BibTeX.

Online and opt-in, never part of the build or the test run (the tests replay recorded
records through the same client from a server on 127.0.0.1)::

    python3 dev.py check-references [--json out.json] [--markdown out.md] [--stamp FILE]

Exit status: 0 every checked entry agrees; 1 a mismatch, a retraction, an unknown DOI or
PMID; 2 some records could not be fetched (network), and nothing else was wrong; 3 the
bib itself has errors (run the bib lint).
"""
from __future__ import annotations

import argparse
import codecs
import datetime as dt
import html
import json
import os
import re
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

CROSSREF = "https://api.crossref.org"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
PROJECT = "muscle-bone-age-guide"
PROJECT_URL = "https://github.com/muscle-bone-age/guide"

ERROR, NOTICE = "error", "notice"

#: Crossref update types that mean a reader must not rely on the paper as it stands.
SERIOUS = {"retraction", "removal", "withdrawal", "expression_of_concern",
           "expression-of-concern", "partial_retraction", "partial-retraction"}
#: Crossref relation types that tell of a change to the cited work.
CHANGE_RELATIONS = re.compile(r"retract|correct|errat|replaced|withdraw|concern", re.I)


# --- findings -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    key: str
    rule: str       # title, author, year, journal, volume, issue, page, doi-unknown, pmid, ...
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: entry '{self.key}': {self.message}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)        # keys compared with a record
    unchecked: list[tuple[str, int, str]] = field(default_factory=list)  # (key, line, kind)
    unreachable: list[Finding] = field(default_factory=list)
    pmids_checked: int = 0
    entries: int = 0
    path: str = "bib/references.bib"

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    def exit_code(self) -> int:
        if self.errors:
            return 1
        return 2 if self.unreachable else 0


# --- text comparison ------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_STOP = {"the", "of", "and", "in", "for", "on", "a", "an", "de", "la", "le", "und", "fur"}


def latex_to_text(value: str) -> str:
    """A BibTeX value as plain text: accents decoded (latexcodec, pybtex's own), braces and
    font commands dropped, ``\\&`` as ``&``, ``--`` as a dash."""
    import latexcodec  # noqa: F401  (registers the "ulatex" codec; a pybtex dependency)

    text = re.sub(r"\\(?:emph|textit|textbf|textsc|mathrm|text)\s*", "", value)
    try:
        text = codecs.decode(text, "ulatex")
    except Exception:  # an odd macro: keep what we have
        pass
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "").replace("\\", "")).strip()


def plain(value: str) -> str:
    """For comparison: no markup, accents, case, punctuation or dash variants."""
    text = html.unescape(re.sub(r"<[^>]+>", "", value)).translate(_DASHES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ").replace("ß", "ss")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _record_text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", str(value or "")))).strip()


def same_title(bib: str, record: dict) -> bool:
    want = plain(latex_to_text(bib))
    titles = [_record_text(record.get("title"))]
    subtitle = _record_text(record.get("subtitle"))
    if subtitle:
        titles.append(f"{titles[0]}: {subtitle}")
    for t in titles:
        got = plain(re.sub(r"^\s*(?:retracted|withdrawn)\s*:\s*", "", t, flags=re.I))
        if got == want:
            return True
    return False


def _words(text: str) -> list[str]:
    return [w for w in plain(text).split() if w not in _STOP]


def abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` abbreviates ``full`` word by word ("J Clin Endocrinol Metab" for
    "The Journal of Clinical Endocrinology & Metabolism"): each word of the short form
    starts the next significant word of the full title, in order."""
    s, f = _words(short), _words(full)
    if not s or len(s) != len(f):
        return False
    return all(b.startswith(a) or (len(a) > 1 and _skeleton(a, b)) for a, b in zip(s, f))


def _skeleton(a: str, b: str) -> bool:
    """ISO 4 drops inner letters ("Mineral" -> "Miner", "Research" -> "Res", "Society" -> "Soc")
    but keeps the first: the short word's letters appear in order in the long one."""
    if a[0] != b[0]:
        return False
    it = iter(b)
    return all(c in it for c in a)


def same_journal(bib: str, record: dict, issn: str = "") -> bool:
    if issn and {re.sub(r"[^0-9xX]", "", i).upper() for i in record.get("ISSN", [])} & {
            re.sub(r"[^0-9xX]", "", issn).upper()}:
        return True
    want = latex_to_text(bib)
    names = [_record_text(t) for t in (record.get("container-title") or [])]
    names += [_record_text(t) for t in (record.get("short-container-title") or [])]
    for name in names:
        if _words(name) == _words(want):
            return True
        if abbreviates(want, name) or abbreviates(name, want):
            return True
    return False


def first_page(pages: str) -> str:
    return re.split(r"\s*(?:-+|\u2013|\u2014|,)\s*", pages.translate(_DASHES).strip())[0]


def _norm_number(value: str) -> str:
    return re.sub(r"\s+", "", str(value)).lower().lstrip("0") or "0"


def record_years(record: dict) -> dict[str, int]:
    """The record's years: print, online, issue and 'issued' (the earliest of them)."""
    out = {}
    for name in ("published-print", "published-online", "issued", "published"):
        parts = (record.get(name) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and parts[0][0]:
            out[name] = int(parts[0][0])
    issue = ((record.get("journal-issue") or {}).get("published-print") or {}).get("date-parts")
    if issue and issue[0] and issue[0][0]:
        out["journal-issue"] = int(issue[0][0])
    return out


def first_author(record: dict) -> tuple[str, bool]:
    """(family name, or an organisation's name; True when it is an organisation)."""
    authors = record.get("author") or []
    firsts = [a for a in authors if a.get("sequence") == "first"] or authors[:1]
    if not firsts:
        return "", False
    a = firsts[0]
    return (a["family"], False) if a.get("family") else (a.get("name", ""), True)


def _bib_first_author(value: str) -> tuple[str, bool]:
    """The first author's family name as pybtex reads it; True for ``{{An Organisation}}``."""
    from pybtex.bibtex.utils import split_name_list
    from pybtex.database import Person

    names = split_name_list(value.strip())
    first = names[0] if names else ""
    if first.startswith("{") and first.endswith("}"):
        return latex_to_text(first), True
    person = Person(first)
    return latex_to_text(" ".join(person.prelast_names + person.last_names)), False


# --- the comparison -------------------------------------------------------------------------

def compare(path: str, entry, record: dict) -> list[Finding]:
    """Every field of ``entry`` (a :class:`medsite.bibcheck.Entry`) that disagrees with the
    DOI's ``record`` (Crossref's ``message``), then the notices the record carries."""
    out: list[Finding] = []
    f = entry.fields

    def bad(name: str, rule: str, message: str, severity: str = ERROR) -> None:
        line = f[name][1] if name in f else entry.line
        out.append(Finding(path, line, entry.key, rule, message, severity))

    doi = f["doi"][0]
    if record.get("DOI") and record["DOI"].lower() != doi.lower():
        bad("doi", "doi", f"doi {doi} is an alias: the registry's record is {record['DOI']}")
    if "title" in f and record.get("title") and not same_title(f["title"][0], record):
        bad("title", "title", f"title '{latex_to_text(f['title'][0])}' but the DOI's record says "
                              f"'{_record_text(record.get('title'))}'")
    if "author" in f and record.get("author"):
        mine, org = _bib_first_author(f["author"][0])
        theirs, their_org = first_author(record)
        if org and not their_org:
            names = [a.get("name", "") for a in record["author"] if a.get("name")]
            if not any(plain(n) == plain(mine) for n in names):
                bad("author", "author", f"first author '{mine}' (an organisation) but the DOI's "
                    f"record names {theirs} first", NOTICE)
        elif plain(mine) != plain(theirs) and plain(mine).replace(" ", "") != \
                plain(theirs).replace(" ", ""):
            bad("author", "author", f"first author '{mine}' but the DOI's record says '{theirs}'")
    years = record_years(record)
    if "year" in f and years:
        mine = f["year"][0].strip()
        if not mine.isdigit() or int(mine) not in years.values():
            said = years.get("published-print") or years.get("issued") or next(iter(years.values()))
            online = years.get("published-online")
            extra = f" (online {online})" if online and online != said else ""
            bad("year", "year", f"year {mine} but the DOI's record says {said}{extra}")
    journal = f.get("journal") or f.get("journaltitle")
    if journal and record.get("container-title"):
        issn = f.get("issn", ("", 0))[0]
        if not same_journal(journal[0], record, issn):
            short = _record_text(record.get("short-container-title"))
            also = f" ({short})" if short and plain(short) != plain(
                _record_text(record["container-title"])) else ""
            bad("journal" if "journal" in f else "journaltitle", "journal",
                f"journal '{latex_to_text(journal[0])}' but the DOI's record says "
                f"'{_record_text(record['container-title'])}'{also}")
    for name, theirs_key, rule in (("volume", "volume", "volume"), ("number", "issue", "issue")):
        theirs = record.get(theirs_key)
        if name in f and theirs and _norm_number(f[name][0]) != _norm_number(theirs):
            bad(name, rule, f"{rule} {f[name][0]} but the DOI's record says {theirs}")
    theirs_page = first_page(record.get("page", "")) if record.get("page") else \
        str(record.get("article-number", "") or "")
    if "pages" in f and theirs_page:
        mine = first_page(f["pages"][0])
        if _norm_number(mine) != _norm_number(theirs_page):
            bad("pages", "page", f"first page {mine} but the DOI's record says {theirs_page}")
    gaps = []
    for name, value in (("volume", record.get("volume")), ("number", record.get("issue")),
                        ("pages", record.get("page") or record.get("article-number"))):
        if value and name not in f:
            gaps.append(f"{'issue' if name == 'number' else name} {value}")
    if gaps:
        bad("doi", "gap", "the DOI's record gives " + ", ".join(gaps) +
            ", which the entry leaves out: add them if the article confirms them", NOTICE)
    out += notices(path, entry, record)
    return out


def notices(path: str, entry, record: dict) -> list[Finding]:
    """Retractions, corrections and other notices the record reports."""
    out = []
    line = entry.fields["doi"][1]
    seen = set()
    for item in record.get("updated-by") or []:
        kind = str(item.get("type", "update")).lower()
        what = kind.replace("_", " ").replace("-", " ")
        when = _date(item.get("updated"))
        notice = item.get("DOI", "")
        if (kind, notice.lower()) in seen:
            continue
        seen.add((kind, notice.lower()))
        source = f", reported by {item['source']}" if item.get("source") else ""
        out.append(Finding(path, line, entry.key, "retraction" if kind in SERIOUS else "update",
                           f"the DOI's record reports a {what}{when}: {notice or 'no notice DOI'}"
                           f"{source}", ERROR if kind in SERIOUS else NOTICE))
    for item in record.get("update-to") or []:
        kind = str(item.get("type", "update")).lower().replace("_", " ")
        out.append(Finding(path, line, entry.key, "notice-cited",
                           f"the DOI is itself a {kind} notice of {item.get('DOI', '?')}: cite "
                           "the article it updates, or say why the notice is cited"))
    title = _record_text(record.get("title"))
    if re.match(r"^\s*(retracted|withdrawn)\b", title, re.I) and not any(
            f.rule == "retraction" for f in out):
        out.append(Finding(path, line, entry.key, "retraction",
                           f"the DOI's record title marks it {title.split(':')[0].strip()}"))
    for rel, items in (record.get("relation") or {}).items():
        if not CHANGE_RELATIONS.search(rel):
            continue
        for item in items if isinstance(items, list) else [items]:
            serious = bool(re.search(r"retract|withdraw|concern", rel, re.I))
            out.append(Finding(path, line, entry.key, "retraction" if serious else "update",
                               f"the DOI's record has the relation {rel}: {item.get('id', '?')}",
                               ERROR if serious else NOTICE))
    return out


def _date(value) -> str:
    parts = (value or {}).get("date-parts") or [[]]
    if not parts or not parts[0]:
        return ""
    return " (" + "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts[0])) + ")"


# --- the HTTP client ------------------------------------------------------------------------

class Unreachable(Exception):
    """The registry did not answer (network, timeout, 5xx after every retry)."""


class Client:
    """Crossref's and PubMed's REST APIs, politely: a User-Agent with a ``mailto``, a
    timeout, retries with exponential back-off on 429 and 5xx (``Retry-After`` respected)
    and connection errors, and at most ``rate`` requests per second."""

    def __init__(self, mailto: str, *, crossref: str = CROSSREF, eutils: str = EUTILS,
                 rate: float = 2.0, timeout: float = 20.0, retries: int = 4,
                 backoff: float = 1.0, sleep=time.sleep, clock=time.monotonic):
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        self.mailto = mailto
        self.crossref = crossref.rstrip("/")
        self.eutils = eutils.rstrip("/")
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.timeout = timeout
        self.sleep, self.clock = sleep, clock
        self._last: float | None = None
        self.requests = 0
        self.tries = retries + 1
        self.session = requests.Session()
        self.session.headers["User-Agent"] = (
            f"{PROJECT}/1.0 ({PROJECT_URL}; mailto:{mailto}) python-requests")
        retry = Retry(total=retries, connect=retries, read=retries, status=retries,
                      backoff_factor=backoff, status_forcelist=(429, 500, 502, 503, 504),
                      allowed_methods=frozenset({"GET"}), respect_retry_after_header=True,
                      raise_on_status=False)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def _throttle(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            self.sleep(self.interval - (now - self._last))
        self._last = self.clock()

    def _get(self, url: str, params: dict):
        import requests

        self._throttle()
        self.requests += 1
        host = urlsplit(url).netloc
        tries = f"{self.tries} {'try' if self.tries == 1 else 'tries'}"
        try:
            return self.session.get(url, params=params, timeout=self.timeout)
        except (requests.Timeout, requests.exceptions.RetryError) as exc:
            why = ("did not answer within the timeout" if isinstance(exc, requests.Timeout)
                   else "kept answering with errors")
            raise Unreachable(f"{host} {why} ({tries})") from None
        except requests.ConnectionError:
            raise Unreachable(f"cannot reach {host} ({tries})") from None
        except requests.RequestException as exc:
            raise Unreachable(f"{host}: {type(exc).__name__}") from None

    def work(self, doi: str) -> dict | None:
        """Crossref's record of ``doi`` (its ``message``), or None when the DOI is unknown."""
        r = self._get(f"{self.crossref}/works/{quote(doi, safe='/()')}",
                      {"mailto": self.mailto})
        if r.status_code == 404:
            return None
        if r.status_code != 200:
            raise Unreachable(f"Crossref answered HTTP {r.status_code} for {doi}")
        try:
            return r.json()["message"]
        except (ValueError, KeyError, TypeError):
            raise Unreachable(f"Crossref's answer for {doi} is not a work record") from None

    def pubmed_dois(self, pmids: list[str]) -> dict[str, str | None]:
        """PMID -> the DOI PubMed holds for it ('' when it holds none); a PMID PubMed does not
        know is left out. One request per 200 PMIDs (esummary)."""
        out: dict[str, str | None] = {}
        for i in range(0, len(pmids), 200):
            chunk = pmids[i:i + 200]
            r = self._get(f"{self.eutils}/esummary.fcgi",
                          {"db": "pubmed", "id": ",".join(chunk), "retmode": "json",
                           "tool": PROJECT, "email": self.mailto})
            if r.status_code != 200:
                raise Unreachable(f"PubMed answered HTTP {r.status_code}")
            try:
                result = r.json()["result"]
            except (ValueError, KeyError, TypeError):
                raise Unreachable("PubMed's answer is not an esummary result") from None
            for pmid in chunk:
                doc = result.get(pmid)
                if not isinstance(doc, dict) or doc.get("error"):
                    continue
                dois = [a.get("value", "") for a in doc.get("articleids", [])
                        if a.get("idtype") == "doi"]
                out[pmid] = dois[0] if dois else ""
        return out


#: Unanswered requests in a row, with no answer before, after which the check stops asking.
GIVE_UP = 3


# --- the whole check ------------------------------------------------------------------------

def check(path: str, entries, client: Client, *, shown: str | None = None,
          progress=None) -> Report:
    """Compare every entry with a DOI against its record; PMIDs against PubMed."""
    from medsite.evidence import KINDS

    shown = shown or path
    rep = Report(entries=len(entries), path=shown)
    given_up = ""
    for e in entries:
        if "doi" not in e.fields:
            kind = e.fields.get("evidence", ("", 0))[0]
            label = KINDS[kind].label if kind in KINDS else "kind not given"
            rep.unchecked.append((e.key, e.line, f"@{e.type}, {label}"))
            continue
        doi, line = e.fields["doi"]
        if progress:
            progress(e.key)
        if given_up:
            rep.unreachable.append(Finding(shown, line, e.key, "unreachable",
                                           f"not asked: {given_up}"))
            continue
        try:
            record = client.work(doi)
        except Unreachable as exc:
            rep.unreachable.append(Finding(shown, line, e.key, "unreachable",
                                           f"could not fetch the DOI's record: {exc}"))
            if not rep.checked and len(rep.unreachable) >= GIVE_UP:
                given_up = f"Crossref did not answer the first {GIVE_UP} requests"
            continue
        if record is None:
            rep.findings.append(Finding(shown, line, e.key, "doi-unknown",
                                        f"doi {doi} is not registered: Crossref has no record "
                                        "of it (check for a typo at https://doi.org/)"))
            continue
        rep.checked.append(e.key)
        rep.findings += compare(shown, e, record)
    with_pmid = [e for e in entries if "pmid" in e.fields]
    if with_pmid:
        try:
            found = client.pubmed_dois([e.fields["pmid"][0] for e in with_pmid])
        except Unreachable as exc:
            rep.unreachable.append(Finding(shown, with_pmid[0].fields["pmid"][1], with_pmid[0].key,
                                           "unreachable", f"could not ask PubMed: {exc}"))
            found = None
        for e in with_pmid if found is not None else []:
            pmid, line = e.fields["pmid"]
            rep.pmids_checked += 1
            doi = e.fields.get("doi", ("", 0))[0]
            if pmid not in found:
                rep.findings.append(Finding(shown, line, e.key, "pmid",
                                            f"pmid {pmid} is not in PubMed"))
            elif not found[pmid]:
                rep.findings.append(Finding(shown, line, e.key, "pmid",
                                            f"pmid {pmid}: PubMed's record gives no DOI to compare",
                                            NOTICE))
            elif not doi:
                rep.findings.append(Finding(shown, line, e.key, "pmid",
                                            f"pmid {pmid} belongs to DOI {found[pmid]}, which the "
                                            "entry leaves out: add it if the article confirms it",
                                            NOTICE))
            elif found[pmid].lower() != doi.lower():
                rep.findings.append(Finding(shown, line, e.key, "pmid",
                                            f"pmid {pmid} points to DOI {found[pmid]} in PubMed, "
                                            f"not to the entry's {doi}"))
    return rep


# --- output ---------------------------------------------------------------------------------

def text_report(rep: Report, registry: str = "Crossref") -> str:
    lines = [str(f) + ("" if f.severity == ERROR else " (notice)")
             for f in sorted(rep.findings + rep.unreachable, key=lambda f: (f.line, f.key))]
    for key, line, kind in rep.unchecked:
        lines.append(f"{rep.path}:{line}: entry '{key}' ({kind}): unchecked, it has no DOI")
    n_err = len(rep.errors)
    lines.append(
        f"check-references: {len(rep.checked)} of {rep.entries} entries compared with their "
        f"DOI's record at {registry}, {rep.pmids_checked} PMIDs with PubMed; "
        f"{n_err} problem{'s' if n_err != 1 else ''}, "
        f"{len(rep.findings) - n_err} notice{'s' if len(rep.findings) - n_err != 1 else ''}, "
        f"{len(rep.unchecked)} without DOI, {len(rep.unreachable)} not reachable")
    return "\n".join(lines)


def markdown_report(rep: Report, date: str) -> str:
    """The body of the GitHub issue the weekly workflow opens or updates."""
    def bullet(f: Finding) -> str:
        return f"- [ ] `{f.path}:{f.line}` **{f.key}**: {f.message}"

    retractions = [f for f in rep.findings if f.rule in ("retraction", "update", "notice-cited")]
    mismatches = [f for f in rep.findings if f not in retractions and f.severity == ERROR]
    notes = [f for f in rep.findings if f not in retractions and f.severity != ERROR]
    out = [f"The weekly reference check of {date} compared {len(rep.checked)} of {rep.entries} "
           f"entries of `bib/references.bib` with their DOI's record at Crossref, and "
           f"{rep.pmids_checked} PMIDs with PubMed (`python3 dev.py check-references`).", ""]
    for title, items in (("Retractions, corrections and other notices", retractions),
                         ("Fields that disagree with the record", mismatches),
                         ("To look at (not errors)", notes),
                         ("Could not be checked this week", rep.unreachable)):
        if items:
            out += [f"### {title}", ""] + [bullet(f) for f in items] + [""]
    if rep.unchecked:
        out += ["### Without DOI (not checked)", ""]
        out += [f"- `{rep.path}:{line}` **{key}** ({kind})" for key, line, kind in rep.unchecked]
        out += [""]
    out += ["This issue is updated by `.github/workflows/external-links.yml` every week and "
            "closed when the check finds nothing."]
    return "\n".join(out)


def as_json(rep: Report, date: str) -> dict:
    return {"checked_on": date, "entries": rep.entries, "checked": rep.checked,
            "pmids_checked": rep.pmids_checked,
            "findings": [asdict(f) for f in rep.findings],
            "unreachable": [asdict(f) for f in rep.unreachable],
            "unchecked": [{"key": k, "line": n, "kind": kind} for k, n, kind in rep.unchecked],
            "exit": rep.exit_code()}


def stamp(rep: Report, date: str) -> str:
    """data/references-checked.yml: what the About page shows."""
    return (
        "# When the references were last checked against their DOI's record (Crossref) and\n"
        "# PubMed. Written by the weekly workflow (.github/workflows/external-links.yml, job\n"
        "# check-references) from `python3 dev.py check-references --stamp`; shown on the\n"
        "# About page. Do not edit by hand.\n"
        f"checked: {date}\n"
        f"entries: {rep.entries}\n"
        f"with_doi: {rep.entries - len(rep.unchecked)}\n"
        f"compared: {len(rep.checked)}\n"
        f"pmids: {rep.pmids_checked}\n"
        f"problems: {len(rep.errors)}\n"
        f"unreachable: {len(rep.unreachable)}\n")


def default_mailto() -> str:
    env = os.environ.get("CROSSREF_MAILTO", "").strip()
    if env:
        return env
    import subprocess

    try:
        return subprocess.run(["git", "config", "user.email"], capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except OSError:
        return ""


def main(argv: list[str]) -> int:
    from medsite import bibcheck

    ap = argparse.ArgumentParser(prog="python3 dev.py check-references",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("bib", nargs="?", default="bib/references.bib")
    ap.add_argument("--mailto", default=None,
                    help="contact address sent to Crossref and PubMed (default: $CROSSREF_MAILTO, "
                         "else git config user.email)")
    ap.add_argument("--json", metavar="FILE", help="also write the findings as JSON")
    ap.add_argument("--markdown", metavar="FILE", help="also write an issue body in Markdown")
    ap.add_argument("--stamp", metavar="FILE",
                    help="write the date and counts the About page shows "
                         "(data/references-checked.yml)")
    ap.add_argument("--rate", type=float, default=2.0, help="requests per second (default 2)")
    ap.add_argument("--crossref", default=os.environ.get("MEDSITE_CROSSREF", CROSSREF),
                    help=argparse.SUPPRESS)
    ap.add_argument("--eutils", default=os.environ.get("MEDSITE_EUTILS", EUTILS),
                    help=argparse.SUPPRESS)
    ap.add_argument("--backoff", type=float, default=1.0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    mailto = args.mailto or default_mailto()
    if not mailto or "@" not in mailto:
        print("check-references: say who is asking: set CROSSREF_MAILTO=you@example.org (or "
              "--mailto); Crossref and PubMed ask for a contact address", file=sys.stderr)
        return 2
    try:
        result = bibcheck.check_file(args.bib, args.bib)
    except OSError as exc:
        print(f"{args.bib}: cannot read the file: {exc.strerror}", file=sys.stderr)
        return 3
    fatal = [p for p in result.problems if p.code in bibcheck.FATAL]
    if fatal:
        for p in fatal:
            print(p, file=sys.stderr)
        print("check-references: fix the bibliography first", file=sys.stderr)
        return 3
    client = Client(mailto, crossref=args.crossref, eutils=args.eutils, rate=args.rate,
                    backoff=args.backoff)
    date = os.environ.get("MEDSITE_CHECK_DATE") or dt.date.today().isoformat()
    rep = check(args.bib, result.entries, client, shown=args.bib)
    print(text_report(rep))
    if args.json:
        Path(args.json).write_text(json.dumps(as_json(rep, date), indent=2) + "\n", encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(markdown_report(rep, date) + "\n", encoding="utf-8")
    if args.stamp and rep.checked:
        Path(args.stamp).write_text(stamp(rep, date), encoding="utf-8")
    elif args.stamp:
        print(f"check-references: no record could be fetched: {args.stamp} left as it was",
              file=sys.stderr)
    return rep.exit_code()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
