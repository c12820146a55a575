"""medsite.frontmatter: PyYAML's C parser for speed, the pure parser's data and errors."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from medsite import frontmatter


def test_reads_the_same_data_as_safe_load():
    block = ('title: "Hormone therapy: a guide"\ndescription: >-\n  Two\n  lines.\n'
             "reviewed: 2026-01-05\nnext_review: 2026-12-01\nnocite: [a, b]\nn: 3\n")
    got = frontmatter.read(f"---\n{block}---\n\n# T\n")
    assert got == yaml.safe_load(block)
    assert got["reviewed"] == dt.date(2026, 1, 5) and got["nocite"] == ["a", "b"]


@pytest.mark.parametrize("block,line", [
    ("title: [unclosed\nreviewed: 2026-01-05\n", 3),
    ("title: t\n  bad: indent\n", 3),
    ("reviewed: 2026-13-01\n", 2),
])
def test_errors_are_the_pure_parsers(block, line):
    with pytest.raises(frontmatter.FrontMatterError) as got:
        frontmatter.read(f"---\n{block}---\n\n# T\n")
    assert got.value.line == line
    try:
        yaml.safe_load(block)
    except yaml.MarkedYAMLError as exc:
        assert str(got.value) == str(exc.problem or exc)
    except ValueError:  # a date that does not exist: said exactly, with its fix
        assert str(got.value) == "'reviewed: 2026-13-01' is not a date: there is no month 13"
        assert got.value.hint == "write the month as 01 to 12 (YYYY-MM-DD)"
