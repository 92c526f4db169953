"""`batch`: many panels in one process; one bad panel does not stop the others."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from scoring.errors import InputError, Problem
from scoring.jobs.summarize import summarize

if TYPE_CHECKING:
    from scoring.assess import Assessment


def batch(folders: Sequence[str | Path], out_dir: str | Path, *, fee: str | None = None,
          policy: Sequence[str] = (), contract_path: str | Path | None = None, force: bool = False,
          notices: list[str] | None = None) -> Iterator[tuple[Path, Assessment | InputError]]:
    """Summarize many panels in one process: each folder is a panel (its evidence, if any, in evidence/*.xlsx);
    the summary goes to OUT_DIR/<folder name>.xlsx. Yields (folder, Assessment or InputError) in order,
    so one bad panel does not stop the others."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(Problem("输出位置已存在且不是文件夹", file=str(out_dir), code="E-OUTPUT"))
    if not out_dir.parent.resolve().is_dir():
        raise InputError(Problem("输出文件夹不存在", file=str(out_dir), code="E-OUTPUT"))
    names = [Path(f).name for f in folders]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError([Problem(f"多个评分表文件夹同名“{n}”，汇总表会互相覆盖", code="E-OUTPUT") for n in repeated])
    out_dir.mkdir(exist_ok=True)  # README: `--out-dir 汇总/` is made like new-panel's --out
    for folder in map(Path, folders):
        evidence = sorted(p for p in (folder / "evidence").glob("*.xlsx") if not p.name.startswith(("~$", ".")))\
            if (folder / "evidence").is_dir() else []  # a Mac's ._ file or a lock file is no second evidence
        try:
            if len(evidence) > 1:
                raise InputError(Problem("evidence 文件夹中只能有一份证据材料", file=str(folder / "evidence"),
                                         code="E-INPUT"))
            yield folder, summarize([folder], out_dir / f"{folder.name}.xlsx", evidence=evidence[0] if evidence else None,
                                    fee=fee, policy=policy, contract_path=contract_path, force=force,
                                    notices=notices)
        except InputError as exc:
            yield folder, exc
