"""Packaging: an installed (not editable) copy must carry every package and its data."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_directory_is_listed_in_setup_cfg():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = {p.strip() for p in cfg["options"]["packages"].split() if p.strip()}
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "scoring").rglob("__init__.py")}
    assert found <= listed, found - listed
    mapping = dict(line.replace(" ", "").split("=") for line in cfg["options"]["package_dir"].split("\n") if line.strip())
    assert mapping == {"scoring.sample": "workbooks", "scoring.templates": "templates"}
    assert {"scoring.sample", "scoring.templates"} <= listed


def test_sample_data_is_package_data():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    data = cfg["options.package_data"]
    assert "*.toml" in data["scoring.data"]
    assert "*.xlsx" in data["scoring.sample"] and "evidence/*.xlsx" in data["scoring.sample"]
    assert "*.xlsx" in data["scoring.templates"] and (ROOT / "templates" / "summary.xlsx").is_file()
    assert list((ROOT / "workbooks" / "evidence").glob("*.xlsx"))
