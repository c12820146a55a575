"""medsite.linkhints: MkDocs' link, anchor and nav warnings get file:line:col and a fix.
(Whole-build messages are checked in tests/test_contributing.py and test_build_errors.py.)"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from medsite.linkhints import Site, closest, locate, rewrite
from tests.sitebuild import build_fixture, error_lines

PAGES = {
    "index.md": "# Home\n\nSee `[code](gone.md)` and [the chapter](chapters/hormone-therapie.md).\n",
    "chapters/hormone-therapy.md": "# Hormone therapy\n\n## Estrogen after menopause\n",
    "about.md": "# About\n\n```\n[x](abut.md)\n```\n\n[ref]: abut.md\n\nA [link][ref] and [again](abut.md).\n",
}
ANCHORS = {"chapters/hormone-therapy.md": {"hormone-therapy", "estrogen-after-menopause"},
           "about.md": {"about"}, "index.md": {"home"}}


def site(**kw) -> Site:
    return Site(pages=sorted(PAGES), read=PAGES.get, anchors=lambda p: ANCHORS.get(p, set()), **kw)


def test_locate_skips_code_and_finds_reference_definitions():
    text = PAGES["about.md"]
    assert locate(text, "abut.md") == (7, 8)          # the [ref]: definition, not the code block
    assert locate(text, "abut.md", 1) == (9, 27)      # the second use
    assert locate(text, "abut.md", 5) == (9, 27)      # more warnings than uses: the last one
    assert locate(text, "nowhere.md") is None


def test_missing_page_gets_line_column_and_closest_page_relative_to_the_linking_page():
    msg = ("Doc file 'index.md' contains a link 'chapters/hormone-therapie.md', but the target "
           "is not found among documentation files.")
    assert rewrite(msg, site()) == (
        "docs/index.md:3:41: Doc file 'index.md' contains a link 'chapters/hormone-therapie.md', "
        "but the target is not found among documentation files; did you mean "
        "'chapters/hormone-therapy.md'?")


def test_mkdocs_own_suggestion_is_kept_as_the_fix():
    msg = ("Doc file 'about.md' contains a link 'abut.md', but the target is not found among "
           "documentation files. Did you mean 'about.md'?")
    out = rewrite(msg, site())
    assert out.startswith("docs/about.md:7:8: ") and out.endswith("; did you mean 'about.md'?")


def test_repeated_warnings_point_at_successive_uses():
    msg = ("Doc file 'about.md' contains a link 'abut.md', but the target is not found among "
           "documentation files.")
    s = site()
    assert [rewrite(msg, s).split(": ", 1)[0] for _ in range(2)] == ["docs/about.md:7:8",
                                                                      "docs/about.md:9:27"]


def test_anchor_gets_the_closest_heading():
    msg = ("Doc file 'index.md' contains a link 'chapters/hormone-therapy.md#estrogen', but the "
           "doc 'chapters/hormone-therapy.md' does not contain an anchor '#estrogen'.")
    pages = dict(PAGES, **{"index.md": "# Home\n\n[e](chapters/hormone-therapy.md#estrogen)\n"})
    s = Site(pages=sorted(pages), read=pages.get, anchors=lambda p: ANCHORS.get(p, set()))
    out = rewrite(msg, s)
    assert out.startswith("docs/index.md:3:5: ")
    assert closest("estrogen-after-menopaus", ANCHORS["chapters/hormone-therapy.md"]) == \
        "estrogen-after-menopause"


def test_nav_entry_gets_its_line_in_mkdocs_yml():
    msg = ("A reference to 'chapters/hormone-therapie.md' is included in the 'nav' configuration, "
           "which is not found in the documentation files.")
    cfg = "site_name: x\nnav:\n  - Home: index.md\n  - chapters/hormone-therapie.md  # new\n"
    assert rewrite(msg, site(config_text=cfg)) == (
        "mkdocs.yml:4: A reference to 'chapters/hormone-therapie.md' is included in the 'nav' "
        "configuration, which is not found in the documentation files; did you mean "
        "'chapters/hormone-therapy.md'?")


def test_unknown_messages_and_unplaceable_links_are_left_alone():
    assert rewrite("Some other warning.", site()) is None
    msg = ("Doc file 'index.md' contains a link 'made-by-a-macro.md', but the target is not found "
           "among documentation files.")
    assert rewrite(msg, site()) is None


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(alphabet=st.characters(blacklist_characters="'"), min_size=1))
def test_rewrite_never_raises(text, url):
    s = Site(pages=["index.md"], read=lambda p: text, anchors=lambda p: set())
    for msg in (f"Doc file 'index.md' contains a link '{url}', but the target is not found among "
                "documentation files.",
                f"Doc file 'index.md' contains a link '{url}', but there is no such anchor on this "
                "page.",
                f"Doc file 'index.md' contains an absolute link '{url}', it was left as is."):
        out = rewrite(msg, s)
        assert out is None or out.startswith("docs/index.md:")


def test_build_prints_the_line_and_the_fix(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\nIntro.\n\nSee [about](abut.md).\n",
                                 "about.md": "# About\n"})
    assert not b.ok
    assert ("docs/index.md:5:13: Doc file 'index.md' contains a link 'abut.md', but the target is "
            "not found among documentation files; did you mean 'about.md'?") in error_lines(b)
