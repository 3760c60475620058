"""The hand-in and the class report are one page shell (lessonkit.htmlpage): no script, nothing loaded, all text
escaped; and a hand-in's file name follows the one learner-id rule (lessonkit.identity)."""

from __future__ import annotations

import re

from lessonkit import handin, htmlpage
from lessonkit.answers_model import typed
from lessonkit.identity import file_name_for, parse_learner_id

from .teacher_builders import answers_doc


def _head(page: str) -> str:
    return re.sub(r"<title>.*?</title>|<style>.*?</style>", "", page.split("<body>")[0], flags=re.S)


def test_hand_in_and_report_share_one_shell(course):
    from lessonkit.teacher import report as R
    from lessonkit.teacher.collect import Collected

    mine = handin.to_html(course, typed(answers_doc("ada", course=course.id)))
    theirs = R.html_report(R.build(course, Collected()))
    assert _head(mine) == _head(theirs) == _head(htmlpage.page("x", "", style=""))
    for page in (mine, theirs):
        assert f'content="{htmlpage.CSP}"' in page and "<script" not in page


def test_text_is_escaped_and_only_web_addresses_become_links():
    assert htmlpage.esc('<b a="1">&') == "&lt;b a=&quot;1&quot;&gt;&amp;"
    assert htmlpage.link("javascript:alert(1)") == "javascript:alert(1)"
    assert htmlpage.link('https://x.org/"><script>') == "https://x.org/&quot;&gt;&lt;script&gt;"
    assert htmlpage.link(" https://x.org/a?b=1&c=2 ").startswith('<a href="https://x.org/a?b=1&amp;c=2" rel=')
    title = htmlpage.page("<script>alert(1)</script>", "", style="")
    assert "<title>&lt;script&gt;" in title


def _of(learner: str):
    return typed(answers_doc(learner))


def test_a_hand_in_is_named_by_the_learner_id_rule():
    assert handin.file_stem(_of("ada-lovelace")) == f"{parse_learner_id('ada-lovelace')}-answers"
    odd = handin.file_stem(_of("../ada@uni.edu"))
    assert odd == f"{file_name_for('../ada@uni.edu')}-answers" and "/" not in odd and parse_learner_id(odd)
    assert handin.file_stem(_of("ada@uni.edu")) != handin.file_stem(_of("ada-uni.edu"))


def test_several_files_are_written_all_or_none(tmp_path, monkeypatch):
    """atomic.write_files: a failure part-way leaves the folder's old files untouched and no staging folder."""
    import pytest

    from lessonkit import atomic

    folder = tmp_path / "out"
    atomic.write_files(folder, {"a.txt": b"old a", "b.txt": b"old b"})
    real = atomic.write_atomic

    def failing(path, data, **kw):
        if path.name == "b.txt":
            raise OSError(28, "No space left on device")
        real(path, data, **kw)

    monkeypatch.setattr(atomic, "write_atomic", failing)
    with pytest.raises(OSError):
        atomic.write_files(folder, {"a.txt": b"new a", "b.txt": b"new b"})
    assert (folder / "a.txt").read_bytes() == b"old a" and (folder / "b.txt").read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
