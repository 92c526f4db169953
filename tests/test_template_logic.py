"""The template language's shared logic without openpyxl: the formula reference scanner gives the operands
openpyxl's Tokenizer gives (on every formula of the shipped template and on random formulas), and the row
mapping that moves references below repeated rows (R2-R4 formulas in the summary follow their rows)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

from hypothesis import given, settings, strategies as st

from scoring.excel.summary import default_template
from scoring.excel.template_logic import Plan, RowPlan
from scoring.excel.template_refs import formula_pieces, map_formula


def tokenizer_ranges(formula: str) -> list[str]:
    """openpyxl's OPERAND/RANGE tokens of a formula."""
    from openpyxl.formula import Tokenizer
    from openpyxl.formula.tokenizer import Token

    return [t.value for t in Tokenizer(formula).items if t.type == Token.OPERAND and t.subtype == Token.RANGE]


_REF = re.compile(r"^(?:(?:'[^']+'|[^'!]+)!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?$")


def scanner_references(formula: str) -> list[str]:
    """The scanner's range operands that are cell references (the only ones map_formula changes)."""
    return [text for is_range, text in formula_pieces(formula) if is_range and _REF.match(text)]


def template_formulas() -> list[str]:
    archive = zipfile.ZipFile(default_template())
    found = []
    for name in archive.namelist():
        if name.startswith("xl/worksheets/sheet"):
            text = archive.read(name).decode("utf-8")
            found += ["=" + f.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                      for f in re.findall(r"<f>(.*?)</f>", text)]
            found += ["=" + f for f in re.findall(r"<formula>(.*?)</formula>", text)]
    return found


def test_every_formula_of_the_template_gives_the_tokenizers_references():
    formulas = template_formulas()
    assert len(formulas) > 10
    for formula in formulas:
        assert scanner_references(formula) == [t for t in tokenizer_ranges(formula) if _REF.match(t)], formula
        assert "".join(text for _, text in formula_pieces(formula)) == formula


_cells = st.builds(lambda d1, c, d2, r: f"{d1}{c}{d2}{r}", st.sampled_from(["", "$"]),
                   st.sampled_from(["A", "B", "H", "AA", "XFD"]), st.sampled_from(["", "$"]), st.integers(1, 300))
_sheets = st.sampled_from(["", "Sheet1!", "'汇总'!", "'评分 明细'!", "'It''s'!", "扣款!"])
_refs = st.one_of(_cells, st.builds(lambda s, a, b: f"{s}{a}:{b}", _sheets, _cells, _cells),
                  st.builds(lambda s, a: s + a, _sheets, _cells))
_atoms = st.one_of(_refs, st.sampled_from(["fee", "total_score", "expert_scores", "1.5", "1E+3", "TRUE", "#N/A",
                                           '"A1"', '"say ""B2"""', "'q'!C3", "LOG10(2)", "panel_1"]))


@st.composite
def formulas(draw):
    atoms = draw(st.lists(_atoms, min_size=1, max_size=6))
    ops = draw(st.lists(st.sampled_from(["+", "-", "*", "/", "&", ",", " ", ">=", "<>"]),
                        min_size=len(atoms) - 1, max_size=len(atoms) - 1))
    body = atoms[0] + "".join(op + atom for op, atom in zip(ops, atoms[1:]))
    if draw(st.booleans()):
        body = f"{draw(st.sampled_from(['SUM', 'IF', 'INDEX', 'ROUND']))}({body})"
    return "=" + body


@settings(max_examples=300, deadline=None)
@given(formulas())
def test_random_formulas_give_the_tokenizers_references(formula):
    assert scanner_references(formula) == [t for t in tokenizer_ranges(formula) if _REF.match(t)]
    assert "".join(text for _, text in formula_pieces(formula)) == formula


def plan(*rows: RowPlan) -> Plan:
    p = Plan({k: r for k, r in enumerate(rows, start=1)})
    p.across = {}
    return p


def test_references_below_a_repeated_row_move_and_ranges_over_it_grow():
    # rows: 1 header, 2 repeated three times, 3 total: the total's SUM(B2:B2) covers the copies, B3 moves to B5
    p = plan(RowPlan(1, 1), RowPlan(2, 3, "r", [1, 2, 3]), RowPlan(5, 1))
    assert map_formula("=SUM(B2:B2)+B3", "表", {"表": p}, None) == "=SUM(B2:B4)+B5"
    assert map_formula('="B3"&B3', "表", {"表": p}, None) == '="B3"&B5'  # text stays text
    assert map_formula("=B2*2", "表", {"表": p}, (2, 1)) == "=B3*2"  # the copy it sits in
    assert map_formula("='其他'!B3", "表", {"表": p}, None) == "='其他'!B3"  # another sheet's rows did not move


def test_a_range_over_rows_repeated_zero_times_is_empty():
    p = plan(RowPlan(1, 1), RowPlan(2, 0, "r", []), RowPlan(2, 1))
    assert map_formula("=SUM(B2:B2)+B3", "表", {"表": p}, None) == "=SUM(0)+B2"


def test_the_logic_imports_neither_openpyxl_nor_jinja2():
    code = ("import sys, scoring.excel.template_logic, scoring.excel.template_refs, scoring.excel.xml_render;"
            "print(sorted(m for m in ('openpyxl', 'jinja2', 'xml.sax.saxutils') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


class _Row:
    total = 7


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["e.total", "e.items", "e.keys", "e.missing", "e.rows[1]", "e.rows[5]", "o.total", "o.name",
                        "x.total", "e.rows[0].total", "e.nested.total"]))
def test_a_parsed_whole_cell_path_resolves_as_jinja2_does(path):
    """The renderer's per-cell fast path (whole_path + resolve) gives what jinja2 gives for the same
    placeholder: a dict's methods by attribute (d.items), its keys by item, objects' attributes; and an
    undefined name or key fails (StrictUndefined), as evaluate() reports it."""
    from jinja2 import StrictUndefined, UndefinedError
    from jinja2.sandbox import SandboxedEnvironment

    from scoring.excel.template_logic import resolve, whole_path

    context = {"e": {"total": 3, "keys": 5, "rows": [_Row(), {"total": 9}], "nested": {"total": 4}}, "o": _Row()}
    parsed = whole_path("{{ " + path + " }}")
    assert parsed is not None
    try:
        expected = SandboxedEnvironment(undefined=StrictUndefined).compile_expression(path, undefined_to_none=False)(
            **context)
        str(expected)  # StrictUndefined fails when used
    except (UndefinedError, IndexError):
        expected = "fails"
    try:
        got = resolve(parsed, context)
    except (KeyError, IndexError):  # evaluate() then reports 模板求值出错 naming the cell
        got = "fails"
    assert got == expected


def test_whole_path_is_only_for_one_simple_placeholder():
    from scoring.excel.template_logic import whole_path

    assert whole_path("{{ e.total }}") == ("e", (("total", ""),))
    assert whole_path(" {{ rows[2].x }} ") == ("rows", (("", "2"), ("x", "")))
    for text in ("{{ e.total }} 分", "{{ e.total | named('x') }}", "{{ a }}{{ b }}", "{% if a %}{{ a }}{% endif %}",
                 "{{ e._private }}", "{{ 1 + 2 }}"):
        assert whole_path(text) is None, text
