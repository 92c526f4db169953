"""Bad and hostile inputs: each is refused with exit 2, its file named, a Chinese message, no traceback,
quickly and in bounded memory; nothing is ever written or changed on a failed run."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError
from hypothesis import HealthCheck, given, reject, settings, strategies as st

from scoring.cli import main
from scoring.excel import names
from tests import hostile
from tests.conftest import write_evidence_workbook, write_expert_workbook

HEAVY = {"zip_bomb", "ratio_bomb", "huge_dimension", "billion_laughs"}


def panel_with(tmp_path, builder) -> tuple[Path, list[str]]:
    folder = tmp_path / "in"
    folder.mkdir()
    good = [write_expert_workbook(folder, e, {}) for e in ("甲", "乙")]
    bad = builder(folder)
    return bad, [str(p) for p in good] + [str(bad)]


@pytest.mark.parametrize("builder, words", hostile.CATALOGUE, ids=[b.__name__ for b, _ in hostile.CATALOGUE])
def test_catalogue_of_bad_inputs(tmp_path, capsys, builder, words):
    bad, inputs = panel_with(tmp_path, builder)
    out = tmp_path / "summary.xlsx"
    started = time.perf_counter()
    code = main(["summarize", *inputs, "--out", str(out)])
    elapsed = time.perf_counter() - started
    stdout, stderr = capsys.readouterr()
    assert code == 2
    assert words in stderr, stderr
    assert str(bad) in stderr
    assert "Traceback" not in stderr and stdout == ""
    assert not out.exists()
    assert elapsed < 5, f"{elapsed:.1f} s"


@pytest.mark.parametrize("name", sorted(HEAVY))
def test_heavy_inputs_stay_under_300_mb_in_a_separate_process(tmp_path, name):
    builder = getattr(hostile, name)
    _, inputs = panel_with(tmp_path, builder)
    # The process's own peak: VmHWM (Linux). ru_maxrss is not: after fork and exec it starts at the parent's
    # resident size, so a large pytest process would be reported as the probe's peak.
    probe = ("import resource, sys; from scoring.cli import main; code = main(sys.argv[1:]); "
             "s = open('/proc/self/status').read() if sys.platform.startswith('linux') else ''; "
             "peak = int(s.split('VmHWM:')[1].split()[0]) if 'VmHWM:' in s "
             "else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
             "print('MAXRSS', peak, file=sys.stderr); sys.exit(code)")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe, "summarize", *inputs, "--out", str(tmp_path / "s.xlsx")],
                          capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - started
    assert done.returncode == 2 and "Traceback" not in done.stderr
    rss_kib = int(done.stderr.rsplit("MAXRSS", 1)[1].split()[0])
    assert rss_kib < 300 * 1024, f"{rss_kib / 1024:.0f} MB"
    assert elapsed < 5 + 2, f"{elapsed:.1f} s"  # the process start is included


def test_text_that_looks_like_a_formula_is_kept_as_text_in_the_summary(tmp_path, capsys):
    payloads = {"report": "=HYPERLINK(\"http://example.invalid\")", "platform": "+1+1", "onsite": "-2",
                "policies": "@SUM(A1)", "drills": "\t=1", "mlps": "=cmd|' /C calc'!A0"}
    for expert in ("甲", "乙"):
        write_expert_workbook(tmp_path, expert, {})
    path = write_expert_workbook(tmp_path, "丙", {})
    wb = openpyxl.load_workbook(path)
    for item, text in payloads.items():
        sheet, cell = names.locate(wb, f"note_{item}")
        wb[sheet][cell].value = text
        wb[sheet][cell].data_type = "s"  # typed as text (Excel: a leading apostrophe)
    wb.save(path)
    out = tmp_path / "s.xlsx"
    assert main(["summarize", str(tmp_path), "--out", str(out)]) == 0
    capsys.readouterr()
    ws = openpyxl.load_workbook(out)["评分明细"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in payloads.values():
        assert text in cells, text
        assert cells[text].data_type == "s"


def test_an_unwritable_output_folder_is_reported(tmp_path, capsys, monkeypatch):
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, {})
    import scoring.excel.atomic as atomic

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    code = main(["summarize", str(tmp_path), "--out", str(tmp_path / "s.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and "无法写入" in err and "s.xlsx" in err


def test_a_missing_output_folder_is_reported(tmp_path, capsys):
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, {})
    code = main(["summarize", str(tmp_path), "--out", str(tmp_path / "nowhere" / "s.xlsx")])
    assert code == 2 and "输出文件夹不存在" in capsys.readouterr().err


def test_an_interrupted_write_keeps_the_earlier_summary_and_leaves_no_partial_file(tmp_path, capsys, monkeypatch):
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path / "in" if (tmp_path / "in").exists() else _mk(tmp_path / "in"), expert, {})
    out = tmp_path / "s.xlsx"
    assert main(["summarize", str(tmp_path / "in"), "--out", str(out)]) == 0
    earlier = out.read_bytes()
    capsys.readouterr()
    import scoring.excel.atomic as atomic
    real_fsync = atomic.os.fsync

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    code = main(["summarize", str(tmp_path / "in"), "--out", str(out)])
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    assert code == 1 and "已中断" in capsys.readouterr().err
    assert out.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "s.xlsx"]


def _mk(path: Path) -> Path:
    path.mkdir()
    return path


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_no_command_changes_an_input_and_a_failed_run_keeps_the_earlier_summary(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(inputs, expert, {"report": 9})
    evidence = write_evidence_workbook(inputs / "证据.xlsx")
    before = digests(inputs)
    out = tmp_path / "s.xlsx"
    commands = [
        ["summarize", str(inputs), "--evidence", str(evidence), "--out", str(out), "--json"],
        ["verify", str(out), str(inputs)],
        ["new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--evidence", str(evidence), "--out",
         str(tmp_path / "new")],
        ["evidence-template", "--period", "2026H2", "--out", str(tmp_path / "blank.xlsx")],
    ]
    for command in commands:
        assert main(command) == 0, capsys.readouterr().err
        assert digests(inputs) == before, command
    summary = out.read_bytes()
    write_expert_workbook(inputs, "丁", {})  # now an even panel: the next run fails
    assert main(["summarize", str(inputs), "--evidence", str(evidence), "--out", str(out)]) == 2
    assert out.read_bytes() == summary
    capsys.readouterr()


CELL_VALUES = st.one_of(
    st.text(max_size=40), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(), st.booleans(), st.none(), st.sampled_from(["=1+1", "=#DIV/0!", "=A1", "@x", "１２", "-0", "1e400"]),
    st.text(min_size=1, max_size=3).map(lambda t: t * 12000),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(["score_report", "score_mlps", "note_report", "note_training",
                                               "expert_name", "period"]), CELL_VALUES, max_size=4))
def test_fuzz_summarize_never_raises_a_traceback(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("fuzz")
    for expert in ("甲", "乙"):
        write_expert_workbook(folder, expert, {})
    path = write_expert_workbook(folder, "丙", {})
    wb = openpyxl.load_workbook(path)
    for name, value in values.items():
        sheet, cell = names.locate(wb, name)
        try:
            wb[sheet][cell].value = value
        except (ValueError, IllegalCharacterError):  # control characters: no spreadsheet program stores them
            continue
    try:
        wb.save(path)
    except (AttributeError, ValueError):  # openpyxl cannot save some raw values; no expert could produce them
        reject()
    out = folder / "s.xlsx"
    import contextlib
    import io
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()) as stdout:
        code = main(["summarize", str(folder), "--out", str(out), "--json"])
    assert code in (0, 2), err.getvalue()
    if code == 0:
        result = json.loads(stdout.getvalue())
        assert 0 <= float(result["total"]) <= 100 and out.exists()
    else:
        assert err.getvalue().strip() and "Traceback" not in err.getvalue() and not out.exists()


def test_control_characters_are_stripped_and_overlong_text_refused():
    from scoring.excel.text import clean_text
    assert clean_text("控制\x07字符\x1b被删除\t保留\n换行") == "控制字符被删除\t保留\n换行"
    with pytest.raises(ValueError, match="32767"):
        clean_text("长" * 32768)
    assert clean_text("长" * 32767) == "长" * 32767
    # Excel counts UTF-16 units: 20,000 emoji are 40,000 (it cut the note written into the summary)
    assert clean_text("😀" * 16383 + "长") == "😀" * 16383 + "长"
    with pytest.raises(ValueError, match="表情符号"):
        clean_text("😀" * 16384)
