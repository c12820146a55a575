"""The Content-Security-Policy and safe external links (medsite.csp, hooks/security.py):
unit tests on the pure module, failing fixture sites, and the built HTML of the real site.
The policy is verified in Chromium by tests/browser/test_quality.py."""
from __future__ import annotations

import base64
import hashlib
import re

import pytest
from bs4 import BeautifulSoup

from medsite import csp
from tests.sitebuild import build_fixture, error_lines

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>t</title>
<script>var a = 1;</script>
<script id="__config" type="application/json">{"x": 1}</script>
<script src="x.js"></script>
</head><body>
<a href="https://example.org/a">ext</a>
<a href="https://muscle-bone-age.github.io/guide/x/">own host</a>
<a href="../about/">internal</a>
<a href="https://example.org/b" rel="edit">edit</a>
<a href='//example.org/c' rel='noopener'>already</a>
<script>
  document.title = "x";
</script>
</body></html>
"""


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# Unit tests: medsite.csp ---------------------------------------------------------------

def test_only_executable_inline_scripts_are_found_verbatim():
    assert csp.inline_scripts(PAGE) == ["var a = 1;", '\n  document.title = "x";\n']


def test_hash_is_the_one_a_browser_computes_with_line_endings_normalised():
    assert csp.script_hash("var a = 1;") == sha("var a = 1;")
    assert csp.script_hash("a\r\nb\rc") == sha("a\nb\nc")


def test_policy_allows_exactly_the_hashed_scripts_and_nothing_inline():
    text = csp.policy(["'sha256-A'", "'sha256-B'", "'sha256-A'"])
    directives = dict(d.split(" ", 1) for d in text.split("; "))
    assert directives["script-src"] == "'self' 'sha256-A' 'sha256-B'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["worker-src"] == "'self'"
    assert "unsafe-inline" not in text and "unsafe-eval" not in text
    # Ignored in a meta tag, and Chromium logs a console error for each.
    for ignored in ("frame-ancestors", "report-uri", "sandbox"):
        assert ignored not in directives


def test_secure_puts_the_policy_right_after_meta_charset():
    out = csp.secure(PAGE)
    head = out.split("<head>", 1)[1]
    assert head.startswith('\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy"')
    meta = BeautifulSoup(out, "html.parser").find("meta", attrs={"http-equiv": True})
    assert meta["content"] == csp.policy([sha("var a = 1;"), sha('\n  document.title = "x";\n')])


def test_secure_leaves_links_as_they_are():
    soup = BeautifulSoup(csp.secure(PAGE), "html.parser")
    rels = {a.get_text(): a.get("rel") for a in soup.find_all("a")}
    assert rels == {"ext": None, "own host": None, "internal": None,
                    "edit": ["edit"], "already": ["noopener"]}


def test_secure_changes_nothing_else():
    out = csp.secure(PAGE)
    stripped = re.sub(r'\n<meta http-equiv="Content-Security-Policy" content="[^"]*">', "", out)
    assert stripped == PAGE


def test_secure_leaves_a_document_without_head_alone():
    assert csp.secure("<p>fragment</p>") == "<p>fragment</p>"


def test_content_problems_name_the_source_line():
    source = "---\ntitle: t\n---\n\n# T\n\n<button onclick=\"go()\">Go</button>\n\n" \
             "<a href=\"javascript:go()\">x</a>\n\n<p style=\"color: red\">r</p>\n"
    html = '<h1>T</h1><button onclick="go()">Go</button><a href="javascript:go()">x</a>' \
           '<p style="color: red">r</p><script>go()</script><style>p{}</style>'
    got = [(p.line, p.code) for p in csp.content_problems("docs/x.md", html, source)]
    assert got == [(1, "csp-inline-script"), (7, "csp-inline-handler"), (9, "csp-javascript-url"),
                   (11, "csp-inline-style"), (1, "csp-inline-style")]


def test_json_data_blocks_and_external_scripts_are_not_problems():
    html = '<script type="application/json">{}</script><script src="a.js"></script>'
    assert csp.content_problems("docs/x.md", html, "") == []


# How content is read: as a browser's HTML parser reads it (lxml), values decoded ----------

#: Content with exactly one problem each, as written in Markdown's raw HTML.
ONE_PROBLEM = [
    '<a HREF="JavaScript:x">', '<a href="&#106;avascript:x">', "<p STYLE=x>", "<p onx>",
    "<a href=' javascript:1'>", "<a href=javascript:1>", '<svg><a xlink:href="javascript:1"/></svg>',
    "<button\nOnClick='go()'>", "<BUTTON ONCLICK=go()>", '<a href="java&#x09;script:x">',
    '<a href="&#x0A;javascript:x">', '<a href="\x01javascript:x">', '<a href="java\nscript:x">',
    '<form action="javascript:x">', '<button formaction="JAVASCRIPT:x">',
    "<script>a</b></script>", "<script type=module>x</script>", "<style>p{}</style>",
    '<a href="x"onclick="y">', "<p>a<STYLE>p{}</STYLE></p>",
]
#: Content that looks close to a problem but is none.
NO_PROBLEM = [
    '<a href="\u00a0javascript:1">',  # a relative URL: only C0 controls and spaces are stripped
    '<a href="/javascript:x">', '<a title="javascript:x">', '<p data-onclick="x" class="on">',
    "<code>&lt;p onclick=x&gt;</code>", "<!-- <script>x</script> <p style=x> -->",
    "<textarea><p onclick=x></textarea>", "<title><script>x</script></title>",
    '<script type="application/json">{"onclick": 1}</script>', '<script src="a.js"></script>',
    "", "text only", "<!-- a comment only -->",
]


@pytest.mark.parametrize("html", ONE_PROBLEM)
def test_content_problem_is_found_as_a_browser_would_read_it(html):
    assert len(csp.content_problems("x.md", html, "")) == 1


@pytest.mark.parametrize("html", NO_PROBLEM)
def test_no_problem_where_a_browser_would_run_nothing(html):
    assert csp.content_problems("x.md", html, "") == []


def test_attribute_names_and_values_are_reported_as_the_browser_reads_them():
    html = '<BUTTON ONCLICK="go()">Go</BUTTON><a href="java&#x09;script:x">x</a>'
    got = [p.message for p in csp.content_problems("x.md", html, "")]
    assert got == [
        "event handler attribute onclick= on <button> would be blocked by the "
        "Content-Security-Policy",
        'href="java\tscript:x" on <a> is a javascript: URL, which the Content-Security-Policy '
        "blocks"]


def test_inline_scripts_are_read_as_raw_text_whatever_they_hold():
    page = ("<html><head><meta charset=utf-8><script>if (a<b && c>d) {}</script>"
            "<script>x = '</b>'; // <!-- y</script><script></script></head></html>")
    assert csp.inline_scripts(page) == ["if (a<b && c>d) {}", "x = '</b>'; // <!-- y", ""]


def test_the_policy_goes_after_the_charset_tag_the_parser_found():
    # A look-alike in a comment, and a tag written over several lines.
    page = ("<!doctype html>\n<html>\n<head>\n<!-- <meta charset=x> -->\n<meta\n"
            "  CHARSET='utf-8'\n>\n<title>t</title>\n</head><body></body></html>")
    out = csp.secure(page)
    assert out.startswith(page[:page.index(">\n<title>") + 1] +
                          '\n<meta http-equiv="Content-Security-Policy"')


def test_without_a_charset_tag_the_policy_opens_the_head():
    page = '<html><head data-x="a>b">\n<title>t</title><script>x()</script></head></html>'
    out = csp.secure(page)
    assert out == page.replace('">\n<title>', '">\n<meta http-equiv="Content-Security-Policy" '
                               f'content="{csp.policy([sha("x()")])}">\n<title>')


def test_the_content_read_already_is_not_read_again_and_the_edits_stay_the_same():
    content = '<a href="https://example.org/b" rel="edit">edit</a>'
    at = PAGE.index(content)
    assert csp.edits(PAGE, (at, at + len(content))) == csp.edits(PAGE)
    # An inline script in the content is an error (content_problems), never allowed: this
    # reading leaves the content out, so the policy has no hash for it.
    page = PAGE.replace(content, "<p><script>evil()</script></p>")
    span = (page.index("<p><script>"), page.index("</p>\n") + 4)
    assert sha("evil()") in csp.edits(page)[0][2]
    assert sha("evil()") not in csp.edits(page, span)[0][2]
    assert sha("var a = 1;") in csp.edits(page, span)[0][2]
    # Where the policy cannot go before the content (no head ahead of it): the whole page.
    assert csp.edits(PAGE, (0, 10)) == csp.edits(PAGE)


def test_a_head_the_parser_implied_gets_nothing():
    # No <head> tag to put the policy after; MkDocs and Material always write one.
    assert csp.secure("<title>t</title><p>x</p>") == "<title>t</title><p>x</p>"
    assert csp.secure("") == ""


# Fixture sites: the strict build fails with file:line: message; fix ---------------------

def test_inline_handler_in_markdown_fails_the_build(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\nText.\n\n"
                                 "<button onclick=\"alert(1)\">Hi</button>\n"})
    assert not b.ok
    assert error_lines(b)[0] == (
        "docs/index.md:5: event handler attribute onclick= on <button> would be blocked by the "
        "Content-Security-Policy; remove the attribute and attach the listener from a script "
        "in docs/assets/javascripts/")
    assert "Traceback" not in b.output


def test_inline_script_in_markdown_fails_the_build(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\n<script>alert(1)</script>\n",
                                 "other.md": "# Other\n\n<a href=\"javascript:alert(1)\">x</a>\n"})
    assert not b.ok
    assert error_lines(b)[:2] == [
        "docs/index.md:3: inline <script> would be blocked by the Content-Security-Policy; "
        "move the code to docs/assets/javascripts/<feature>.js and list that file under "
        "extra_javascript in mkdocs.yml",
        "docs/other.md:3: href=\"javascript:alert(1)\" on <a> is a javascript: URL, which the "
        "Content-Security-Policy blocks; use a real link target, or a <button> with a listener "
        "attached from docs/assets/javascripts/"]


# The real site's HTML -------------------------------------------------------------------

def built_pages(site_dir):
    return sorted(site_dir.rglob("*.html"))


def test_every_page_has_the_policy_first_in_head_with_the_hashes_of_its_scripts(site_dir):
    for html in built_pages(site_dir):
        text = html.read_text(encoding="utf-8")
        head = text[text.index("<head>"):text.index("</head>")]
        first_tags = re.findall(r"<(?!!)[^>]+>", head)[:3]
        assert first_tags[1].startswith('<meta charset'), html
        assert first_tags[2].startswith('<meta http-equiv="Content-Security-Policy"'), html
        policy = BeautifulSoup(first_tags[2], "html.parser").meta["content"]
        script_src = next(d for d in policy.split("; ") if d.startswith("script-src ")).split()
        wanted = {csp.script_hash(s) for s in csp.inline_scripts(text)}
        assert wanted, f"{html}: Material's inline scripts not found"
        assert set(script_src[2:]) == wanted and script_src[1] == "'self'", html
        assert "unsafe" not in policy, html


def test_no_inline_event_handlers_or_javascript_urls_anywhere(site_dir):
    for html in built_pages(site_dir):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), f"{html}: <{tag.name} {name}=...>"
                if name in csp.URL_ATTRS:
                    assert not csp.is_javascript_url(str(value)), \
                        f"{html}: <{tag.name} {name}={value!r}>"
                assert name != "style", f"{html}: <{tag.name} style={value!r}>"
        assert soup.find("style") is None, f"{html}: <style> block"


def test_no_content_link_opens_a_new_window(site_dir):
    """So the CSP pass adds nothing to links: no link of the content opens a new window, and
    the one the theme opens in one (Material's footer credit) carries rel="noopener"."""
    checked = 0
    for html in built_pages(site_dir):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for a in soup.find_all("a", href=True):
            checked += 1
            if a.get("target"):
                assert "noopener" in (a.get("rel") or []), f"{html}: {a}"
        article = soup.select_one("article")
        assert article is None or article.select("a[target]") == [], html
    assert checked


def test_aligned_table_columns_need_no_style_attribute(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n"})
    assert b.ok, b.output
    html = (b.site / "index.html").read_text()
    assert '<th align="center">a</th>' in html and "style=" not in html


# Rebuilds: what a page was found to need is kept (.cache/memo) and reused ---------------

PAGE_MD = ("# Home\n\nA [link](https://example.org/) and a [local one](#home).\n\n"
           '<p onclick="go()">click</p>\n')


def test_a_rebuild_reuses_the_kept_results_and_gives_the_same_site(tmp_path):
    import json

    from tests.sitebuild import fixture_site, mkdocs_build

    (tmp_path / "p").mkdir()
    project = fixture_site(tmp_path / "p", {"index.md": "# Home\n\nSee [x](https://example.org/)."})
    first = mkdocs_build(project, tmp_path / "one")
    assert first.ok, first.output
    memo = project / ".cache/memo/csp-edits.json"
    kept = json.loads(memo.read_text())
    assert kept["data"], "the first build kept nothing"
    html = (first.site / "index.html").read_text()
    second = mkdocs_build(project, tmp_path / "two")
    assert (second.site / "index.html").read_text() == html
    # Proof that the second build read them: a kept result, altered, shows in the page.
    for found in kept["data"].values():  # edits [start, end, text] or content problems
        for edit in found:
            if isinstance(edit[-1], str) and "Content-Security-Policy" in edit[-1]:
                edit[-1] = edit[-1].replace("object-src", "object-src-KEPT")
    memo.write_text(json.dumps(kept))
    third = mkdocs_build(project, tmp_path / "three")
    assert "object-src-KEPT" in (third.site / "index.html").read_text()


def test_kept_content_problems_still_fail_the_build(tmp_path):
    from tests.sitebuild import fixture_site, mkdocs_build

    (tmp_path / "p").mkdir()
    project = fixture_site(tmp_path / "p", {"index.md": PAGE_MD})
    for run in ("one", "two"):  # the second build finds the problem in .cache/memo
        b = mkdocs_build(project, tmp_path / run)
        assert not b.ok
        assert "docs/index.md:5: event handler attribute onclick= on <p> would be blocked " \
               "by the Content-Security-Policy" in b.output, (run, b.output)
