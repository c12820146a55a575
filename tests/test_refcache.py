"""medsite.refcache.Memo: results kept between builds."""
from __future__ import annotations

import json

from medsite.refcache import Memo


def test_memo_gives_back_what_the_last_build_put(tmp_path):
    m = Memo(tmp_path, "x", "v1")
    assert m.get("a") is None
    m.put("a", [1, "two"])
    m.put("b", [])
    m.save()
    again = Memo(tmp_path, "x", "v1")
    assert again.get("a") == [1, "two"] and again.get("b") == []


def test_memo_keeps_only_what_the_last_build_used(tmp_path):
    m = Memo(tmp_path, "x", "v1")
    m.put("old", 1)
    m.put("kept", 2)
    m.save()
    m = Memo(tmp_path, "x", "v1")
    assert m.get("kept") == 2
    m.put("new", 3)
    m.save()
    assert json.loads((tmp_path / "x.json").read_text())["data"] == {"kept": 2, "new": 3}


def test_another_version_starts_empty(tmp_path):
    m = Memo(tmp_path, "x", "v1")
    m.put("a", 1)
    m.save()
    assert Memo(tmp_path, "x", "v2").get("a") is None


def test_an_unreadable_file_is_an_empty_memo_and_a_read_only_folder_is_no_error(tmp_path):
    (tmp_path / "x.json").write_text("{not json")
    m = Memo(tmp_path, "x", "v1")
    assert m.get("a") is None
    m.put("a", 1)
    (tmp_path / "x.json").unlink()
    (tmp_path / "x.json").mkdir()  # cannot be replaced by a file: save gives up quietly
    m.save()


def test_key_depends_on_every_character():
    assert Memo.key("abc") != Memo.key("abd") and Memo.key("abc") == Memo.key("abc")
    assert len(Memo.key("\ue000 surrogate-free text")) == 32
