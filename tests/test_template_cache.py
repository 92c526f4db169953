"""The template is parsed once per process; every summary renders into its own copy (§2 summary, R11 batch)."""

from __future__ import annotations

import shutil

from scoring.excel import template_cache, xml_package
from scoring.excel.summary import default_template
from tests.compare import differences
from tests.test_summary import GOLDEN, make_golden


def test_summaries_rendered_from_the_cached_template_match_the_golden_one(tmp_path):
    # the summary is written by the XML renderer, whose render plan is the per-process cache (xml_package.py)
    xml_package.parse_template.cache_clear()
    first = make_golden(tmp_path / "first.xlsx")
    second = make_golden(tmp_path / "second.xlsx")  # rendered from the same plan, not into the first's output
    assert xml_package.parse_template.cache_info().hits >= 1
    assert differences(first, GOLDEN) == [] and differences(second, GOLDEN) == []


def test_each_load_is_an_independent_copy_and_an_edited_template_is_loaded_again(tmp_path):
    path = tmp_path / "t.xlsx"
    shutil.copy(default_template(), path)
    a, b = template_cache.load_template(path, []), template_cache.load_template(path, [])
    assert a is not b
    a.worksheets[0]["A1"] = "changed"
    assert b.worksheets[0]["A1"].value != "changed"
    a.save(path)
    assert template_cache.load_template(path, []).worksheets[0]["A1"].value == "changed"


def test_a_refused_template_gives_its_problems_every_time(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"not a workbook")
    for _ in range(2):
        problems = []
        assert template_cache.load_template(path, problems) is None
        assert problems and problems[0].code == "E-FILE-FORMAT"
