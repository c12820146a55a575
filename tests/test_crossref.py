"""The reference check against the DOI's record (medsite.crossref), offline: recorded
Crossref and PubMed answers (tests/fixtures/crossref/) served from 127.0.0.1 to the real HTTP
client, each mismatch rule with its exact message, retries, the rate limit, the CLI and the
issue body the weekly workflow posts."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from medsite import bibcheck, crossref
from tests.sitebuild import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "crossref"
BIB = str(FIXTURES / "references.bib")
SHOWN = "tests/fixtures/crossref/references.bib"


class Registry:
    """Crossref's /works/{doi} and PubMed's esummary.fcgi, answered from the fixtures."""

    def __init__(self):
        self.hits: list[tuple[str, dict, str]] = []  # (path, query, user agent)
        self.fail: dict[str, list[int]] = {}         # path -> statuses to answer first
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                registry.hits.append((url.path, query, self.headers.get("User-Agent", "")))
                queued = registry.fail.get(url.path)
                if queued:
                    self.reply(queued.pop(0), b"busy", {"Retry-After": "0"})
                    return
                if url.path.startswith("/works/"):
                    doi = unquote(url.path[len("/works/"):]).lower()
                    f = FIXTURES / "works" / (quote(doi, safe="") + ".json")
                    if f.exists():
                        self.reply(200, f.read_bytes(), {"Content-Type": "application/json"})
                    else:
                        self.reply(404, b"Resource not found.", {"Content-Type": "text/plain"})
                elif url.path == "/esummary.fcgi":
                    data = json.loads((FIXTURES / "pubmed" / "esummary.json").read_text())
                    ids = query.get("id", "").split(",")
                    result = {"uids": [i for i in ids if i in data["result"]["uids"]]}
                    result.update({i: data["result"][i] for i in ids if i in data["result"]})
                    body = json.dumps({"header": data["header"], "result": result}).encode()
                    self.reply(200, body, {"Content-Type": "application/json"})
                else:
                    self.reply(404, b"no such endpoint", {})

            def reply(self, status, body, headers):
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # Each test stops its server: a short poll interval makes that take 20 ms, not 0.5 s.
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()

    def client(self, **kw) -> crossref.Client:
        kw = {"rate": 0, "backoff": 0, "timeout": 5, **kw}
        return crossref.Client("editors@example.org", crossref=self.url, eutils=self.url, **kw)


@pytest.fixture
def registry():
    r = Registry()
    yield r
    r.server.shutdown()


@pytest.fixture(scope="module")
def entries():
    result = bibcheck.check_file(BIB, SHOWN)
    assert [str(p) for p in result.problems] == []
    return result.entries


def run(registry, entries, **kw) -> crossref.Report:
    return crossref.check(BIB, entries, registry.client(**kw), shown=SHOWN)


def by_key(report: crossref.Report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in report.findings:
        out.setdefault(f.key, []).append(str(f))
    return out


def test_the_whole_fixture_bib(registry, entries):
    rep = run(registry, entries)
    found = by_key(rep)
    assert rep.checked == ["fullname2009", "onlineyear2018", "retracted1998", "copieddoi2010",
                           "wrongyear2013", "wrongnumbers2003", "society2022", "leftout2021",
                           "corrected2020"]
    assert rep.unchecked == [("nodoi_web", 95, "@misc, Review")]
    assert rep.unreachable == []
    # a journal in full in the bib, abbreviated in the record (and the reverse); a print
    # year that is not the online year: no finding
    assert "fullname2009" not in found and "onlineyear2018" not in found
    assert rep.exit_code() == 1


def test_journal_in_full_in_the_bib_and_abbreviated_in_the_record():
    record = {"container-title": ["J Clin Endocrinol Metab"]}
    assert crossref.same_journal(r"The Journal of Clinical Endocrinology \& Metabolism", record)
    assert crossref.same_journal("Medicine \\& Science in Sports \\& Exercise",
                                 {"container-title": ["Med Sci Sports Exerc"]})
    assert crossref.same_journal("Journal of Bone and Mineral Research",
                                 {"container-title": ["J Bone Miner Res"]})
    assert crossref.same_journal("N Engl J Med", {"container-title": ["New England Journal of Medicine"]})
    assert not crossref.same_journal("Journal of Bone and Mineral Research",
                                     {"container-title": ["J Clin Endocrinol Metab"]})
    assert not crossref.same_journal("The Lancet", {"container-title": ["The Lancet Oncology"]})


def test_journal_matched_by_issn():
    record = {"container-title": ["Something Else Entirely"], "ISSN": ["0021-972X", "1945-7197"]}
    assert crossref.same_journal("J Clin Endocrinol Metab", record, issn="0021-972x")
    assert not crossref.same_journal("J Clin Endocrinol Metab", record, issn="1234-5678")


def test_titles_tolerate_case_punctuation_latex_markup_and_dashes():
    record = {"title": ["High\u2010Intensity <i>Resistance</i> &amp; Impact: The LIFTMOR Trial"]}
    assert crossref.same_title("High-Intensity Resistance \\& Impact -- the {LIFTMOR} trial", record)
    assert crossref.same_title("Effects on BMD: The {Women's Health Initiative} Trial",
                               {"title": ["Effects on BMD"],
                                "subtitle": ["The Women\u2019s Health Initiative Trial"]})
    assert crossref.same_title("Effects on BMD: The {Women's Health Initiative} Trial",
                               {"title": ["Effects on BMD"],
                                "subtitle": ["The Women's Health Initiative Trial"]})
    assert crossref.same_title(r"Bahat G{\"u}listan", {"title": ["Bahat G\u00fclistan"]})


def test_retracted_paper(registry, entries):
    assert by_key(run(registry, entries))["retracted1998"] == [
        f"{SHOWN}:28: entry 'retracted1998': the DOI's record reports a retraction (2010-02-06): "
        "10.1016/S0140-6736(10)60175-4, reported by publisher"]


def test_doi_that_does_not_exist(registry, entries):
    assert by_key(run(registry, entries))["ghostdoi2021"] == [
        f"{SHOWN}:37: entry 'ghostdoi2021': doi 10.5555/never-registered.2021 is not "
        "registered: Crossref has no record of it (check for a typo at https://doi.org/)"]


def test_doi_of_another_paper_different_title(registry, entries):
    assert by_key(run(registry, entries))["copieddoi2010"] == [
        f"{SHOWN}:43: entry 'copieddoi2010': title 'Effects of Transdermal Testosterone on Bone "
        "and Muscle in Older Men with Low Bioavailable Testosterone Levels, Low Bone Mass, and "
        "Physical Frailty' but the DOI's record says 'Adverse Events Associated with "
        "Testosterone Administration'",
        f"{SHOWN}:42: entry 'copieddoi2010': first author 'Kenny' but the DOI's record says "
        "'Basaria'",
        f"{SHOWN}:44: entry 'copieddoi2010': journal 'Journal of the American Geriatrics "
        "Society' but the DOI's record says 'New England Journal of Medicine' (N Engl J Med)",
        f"{SHOWN}:45: entry 'copieddoi2010': volume 58 but the DOI's record says 363",
        f"{SHOWN}:45: entry 'copieddoi2010': issue 6 but the DOI's record says 2",
        f"{SHOWN}:45: entry 'copieddoi2010': first page 1134 but the DOI's record says 109",
        f"{SHOWN}:46: entry 'copieddoi2010': pmid 20722847 points to DOI "
        "10.1111/j.1532-5415.2010.02865.x in PubMed, not to the entry's 10.1056/NEJMoa1000485",
    ]


def test_year(registry, entries):
    assert by_key(run(registry, entries))["wrongyear2013"] == [
        f"{SHOWN}:54: entry 'wrongyear2013': year 2013 but the DOI's record says 2012"]


def test_volume_issue_and_first_page(registry, entries):
    assert by_key(run(registry, entries))["wrongnumbers2003"] == [
        f"{SHOWN}:63: entry 'wrongnumbers2003': volume 209 but the DOI's record says 290",
        f"{SHOWN}:63: entry 'wrongnumbers2003': issue 31 but the DOI's record says 13",
        f"{SHOWN}:63: entry 'wrongnumbers2003': first page 1792 but the DOI's record says 1729"]


def test_organisation_as_author_is_a_notice(registry, entries):
    found = [f for f in run(registry, entries).findings if f.key == "society2022"]
    assert [(str(f), f.severity) for f in found] == [
        (f"{SHOWN}:69: entry 'society2022': first author 'The North American Menopause Society' "
         "(an organisation) but the DOI's record names Faubion first", "notice")]


def test_fields_the_entry_leaves_out_are_a_notice(registry, entries):
    found = [f for f in run(registry, entries).findings if f.key == "leftout2021"]
    assert [(str(f), f.severity) for f in found] == [
        (f"{SHOWN}:82: entry 'leftout2021': the DOI's record gives volume 9, issue 1, pages "
         "32-45, which the entry leaves out: add them if the article confirms them", "notice")]


def test_correction_is_a_notice_and_unknown_pmid_an_error(registry, entries):
    found = [f for f in run(registry, entries).findings if f.key == "corrected2020"]
    assert [(str(f), f.severity) for f in found] == [
        (f"{SHOWN}:91: entry 'corrected2020': the DOI's record reports a correction "
         "(2021-03-04): 10.5555/corrected.2020.erratum, reported by publisher", "notice"),
        (f"{SHOWN}:91: entry 'corrected2020': pmid 99999999 is not in PubMed", "error")]


def test_a_cited_notice_and_a_retraction_relation():
    entry = bibcheck.Entry("x", "article", 1, {"doi": ("10.5555/x", 3), "title": ("T", 2)})
    record = {"DOI": "10.5555/x", "title": ["T"],
              "update-to": [{"DOI": "10.5555/orig", "type": "correction"}],
              "relation": {"is-retracted-by": [{"id-type": "doi", "id": "10.5555/r",
                                                "asserted-by": "object"}],
                           "is-cited-by": [{"id": "10.5555/c"}]}}
    assert [str(f) for f in crossref.compare("b.bib", entry, record)] == [
        "b.bib:3: entry 'x': the DOI is itself a correction notice of 10.5555/orig: cite the "
        "article it updates, or say why the notice is cited",
        "b.bib:3: entry 'x': the DOI's record has the relation is-retracted-by: 10.5555/r"]


def test_requests_are_polite(registry, entries):
    run(registry, entries)
    works = [h for h in registry.hits if h[0].startswith("/works/")]
    assert len(works) == 10  # every entry with a DOI, once
    for path, query, agent in registry.hits:
        assert "mailto:editors@example.org" in agent and agent.startswith("muscle-bone-age-guide/")
    assert all(q["mailto"] == "editors@example.org" for _, q, _ in works)
    pubmed = [h for h in registry.hits if h[0] == "/esummary.fcgi"]
    assert len(pubmed) == 1  # all PMIDs in one request
    assert pubmed[0][1]["tool"] == "muscle-bone-age-guide"
    assert pubmed[0][1]["email"] == "editors@example.org"
    assert "/works/10.1016/S0140-6736(97)11096-0" in [h[0] for h in works]


def test_retries_with_back_off_on_429_and_5xx(registry, entries):
    registry.fail["/works/10.1002/jbmr.3284"] = [503, 429]
    rep = run(registry, entries)
    assert "onlineyear2018" in rep.checked and rep.unreachable == []
    assert [h[0] for h in registry.hits].count("/works/10.1002/jbmr.3284") == 3


def test_unreachable_after_the_retries_is_reported_not_a_mismatch(registry, entries):
    registry.fail["/works/10.1002/jbmr.3284"] = [503] * 10
    rep = run(registry, entries, retries=2)
    assert [str(f) for f in rep.unreachable] == [
        f"{SHOWN}:19: entry 'onlineyear2018': could not fetch the DOI's record: Crossref "
        "answered HTTP 503 for 10.1002/jbmr.3284"]
    assert "onlineyear2018" not in by_key(rep)


def test_no_server_at_all_is_unreachable_with_exit_2(entries):
    client = crossref.Client("e@example.org", crossref="http://127.0.0.1:9", eutils="http://127.0.0.1:9",
                             rate=0, backoff=0, retries=1, timeout=2)
    rep = crossref.check(BIB, [e for e in entries if e.key == "fullname2009"], client, shown=SHOWN)
    assert rep.findings == [] and len(rep.unreachable) == 2
    assert rep.exit_code() == 2


def test_stops_asking_when_the_registry_never_answers(entries):
    client = crossref.Client("e@example.org", crossref="http://127.0.0.1:9", eutils="http://127.0.0.1:9",
                             rate=0, backoff=0, retries=0, timeout=2)
    rep = crossref.check(BIB, entries, client, shown=SHOWN)
    got = [str(f) for f in rep.unreachable]
    assert got[0] == (f"{SHOWN}:10: entry 'fullname2009': could not fetch the DOI's record: "
                      "cannot reach 127.0.0.1:9 (1 try)")
    assert got[3] == (f"{SHOWN}:37: entry 'ghostdoi2021': not asked: Crossref did not answer "
                      "the first 3 requests")
    assert client.requests == 3 + 1  # three DOIs, then the one PubMed request
    assert rep.exit_code() == 2 and rep.findings == []


def test_rate_limit_spaces_requests():
    waits: list[float] = []
    now = [0.0]
    client = crossref.Client("e@example.org", rate=4, sleep=lambda s: (waits.append(s),
                                                                      now.__setitem__(0, now[0] + s)),
                             clock=lambda: now[0])
    for _ in range(3):
        client._throttle()
    assert waits == [0.25, 0.25]


def test_cli_prints_every_finding_and_exits_1(registry, tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "medsite.crossref", SHOWN, "--mailto", "editors@example.org",
         "--crossref", registry.url, "--eutils", registry.url, "--rate", "0", "--backoff", "0",
         "--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md"),
         "--stamp", str(tmp_path / "stamp.yml")],
        cwd=ROOT, env={"PYTHONPATH": "hooks", "MEDSITE_CHECK_DATE": "2026-11-30"},
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    assert f"{SHOWN}:54: entry 'wrongyear2013': year 2013 but the DOI's record says 2012" in lines
    assert f"{SHOWN}:95: entry 'nodoi_web' (@misc, Review): unchecked, it has no DOI" in lines
    assert lines[-1] == (
        "check-references: 9 of 11 entries compared with their DOI's record at Crossref, "
        "7 PMIDs with PubMed; 14 problems, 3 notices, 1 without DOI, 0 not reachable")
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["checked_on"] == "2026-11-30" and data["exit"] == 1
    body = (tmp_path / "r.md").read_text()
    assert body.index("### Retractions, corrections") < body.index("### Fields that disagree")
    assert "- [ ] `tests/fixtures/crossref/references.bib:28` **retracted1998**: the DOI's " \
           "record reports a retraction" in body
    import yaml

    assert yaml.safe_load((tmp_path / "stamp.yml").read_text()) == {
        "checked": __import__("datetime").date(2026, 11, 30), "entries": 11, "with_doi": 10,
        "compared": 9, "pmids": 7, "problems": 14, "unreachable": 0}


def test_cli_keeps_the_stamp_when_nothing_could_be_fetched(tmp_path):
    stamp = tmp_path / "stamp.yml"
    stamp.write_text("checked: 2026-01-05\n")
    out = subprocess.run(
        [sys.executable, "-m", "medsite.crossref", SHOWN, "--mailto", "e@example.org",
         "--crossref", "http://127.0.0.1:9", "--eutils", "http://127.0.0.1:9", "--rate", "0",
         "--backoff", "0", "--stamp", str(stamp)],
        cwd=ROOT, env={"PYTHONPATH": "hooks"}, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert stamp.read_text() == "checked: 2026-01-05\n"
    assert f"no record could be fetched: {stamp} left as it was" in out.stderr


def test_cli_without_a_contact_address_says_what_to_set():
    out = subprocess.run([sys.executable, "-m", "medsite.crossref", SHOWN], cwd="/",
                         env={"PYTHONPATH": str(ROOT / "hooks"), "HOME": "/nonexistent",
                              "GIT_CONFIG_NOSYSTEM": "1"},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "set CROSSREF_MAILTO=you@example.org" in out.stderr


def test_the_project_bib_parses_for_the_check():
    """Every DOI of bib/references.bib would be asked for (no network here): the entries the
    command can check, and those it lists as unchecked."""
    result = bibcheck.check_file(str(ROOT / "bib/references.bib"), "bib/references.bib")
    with_doi = [e.key for e in result.entries if "doi" in e.fields]
    without = [e.key for e in result.entries if "doi" not in e.fields]
    assert len(with_doi) + len(without) == len(result.entries)
    assert set(without) == {"ros_hrt", "wikipedia_frailty", "rasmussen2024testosterone",
                            "gharahdaghi2019testosterone"}


def test_the_weekly_workflow_runs_the_check_and_keeps_one_issue():
    import yaml

    wf = yaml.safe_load((ROOT / ".github/workflows/external-links.yml").read_text())
    assert wf[True]["schedule"][0]["cron"]  # 'on:' reads as True in YAML 1.1
    job = wf["jobs"]["check-references"]
    assert job["permissions"] == {"contents": "write", "issues": "write"}
    script = "\n".join(s.get("run", "") for s in job["steps"])
    assert "python3 dev.py check-references --json refcheck.json --markdown refcheck.md" in script
    assert "--stamp data/references-checked.yml" in script
    for command in ("gh issue list --label", "gh issue create", "gh issue edit", "gh issue close"):
        assert command in script, command
    assert "git add data/references-checked.yml" in script
