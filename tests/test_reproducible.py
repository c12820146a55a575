"""Two builds of the same commit are byte-identical: dates come from SOURCE_DATE_EPOCH
(the last commit's time, as CI sets it), never from the clock or the output folder."""
from __future__ import annotations

import time
from pathlib import Path

from tests.sitebuild import ROOT, env, mkdocs_build


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def first_difference(a: bytes, b: bytes) -> str:
    i = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at byte {i}: {a[max(0, i - 40):i + 40]!r} vs {b[max(0, i - 40):i + 40]!r}"


def test_two_builds_are_byte_identical(tmp_path):
    assert env()["SOURCE_DATE_EPOCH"].isdigit()
    first = mkdocs_build(ROOT, tmp_path / "one" / "site")
    assert first.ok, first.output
    time.sleep(1.1)  # a clock-dependent timestamp (e.g. a gzip mtime) would now differ
    second = mkdocs_build(ROOT, tmp_path / "two" / "output")
    assert second.ok, second.output
    a, b = tree(first.site), tree(second.site)
    assert sorted(a) == sorted(b)
    differ = [f"{name}: {first_difference(a[name], b[name])}" for name in a if a[name] != b[name]]
    assert differ == [], "\n".join(differ)
    assert "sitemap.xml.gz" in a and "search/search_index.json" in a
