"""`scorecard addin install`: the ribbon add-in where Excel loads it, and the user config it reads.

Like `xlwings addin install`, without needing Excel running: addin/scorecard.xlam is copied to the
user's XLSTART folder (%APPDATA%\\Microsoft\\Excel\\XLSTART, Excel's Application.StartupPath), and the
user config file is written where the add-in's VBA looks for it: GetConfigFilePath() in
addin/vba/xlwings.bas is %USERPROFILE%\\.<PROJECT_NAME>\\<PROJECT_NAME>.conf with PROJECT_NAME =
"scorecard". The file names the interpreter this command runs from (its pythonw.exe, next to which
xlwings installed its DLL), the folder of addin/udfs.py and addin/scorecard_addin.py as PYTHONPATH, and
the UDF module. VBA reads the file with `Input #`, in the ANSI code page, so it is written in it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from scoring.errors import InputError

PROJECT_NAME = "scorecard"
ADDIN_NAME = "scorecard.xlam"
UDF_MODULE = "udfs"


def addin_folder() -> Path:
    """The repository's addin/ folder (the project is installed from its folder with pip install -e .)."""
    folder = Path(__file__).resolve().parent.parent / "addin"
    if not (folder / ADDIN_NAME).is_file() or not (folder / f"{UDF_MODULE}.py").is_file():
        raise InputError(f"找不到插件文件（{folder}）：请在项目文件夹中用 pip install -e .[addin] 安装后再运行")
    return folder


def user_config_path(home: Path) -> Path:
    """GetConfigFilePath() of the add-in's VBA on Windows."""
    return home / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def interpreter(executable: str | None = None) -> Path:
    """pythonw.exe beside the running interpreter (no console window for the add-in's calls)."""
    return Path(executable or sys.executable).with_name("pythonw.exe")


def read_config(path: Path, encoding: str) -> list[tuple[str, str]]:
    """"KEY","VALUE" lines as VBA's Write # writes them."""
    pairs = []
    if path.is_file():
        for line in path.read_text(encoding=encoding).splitlines():
            key, sep, value = line.partition(",")
            if sep:
                pairs.append((key.strip().strip('"'), value.strip().strip('"')))
    return pairs


def write_config(path: Path, values: dict[str, str], encoding: str) -> None:
    """Keep the user's other settings; replace ours (keys compared without case, as the VBA does)."""
    ours = {k.lower() for k in values}
    pairs = [(k, v) for k, v in read_config(path, encoding) if k.lower() not in ours] + list(values.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f'"{k}","{v}"\r\n' for k, v in pairs)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise InputError(f"路径中的“{exc.object[exc.start:exc.end]}”不能用 Windows 的系统编码保存，插件的 VBA 读不到："
                         "请把项目放在只含英文或系统语言字符的文件夹中") from None
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def install(xlstart: Path | None = None, home: Path | None = None, executable: str | None = None) -> list[str]:
    """Copy the add-in and write the user config; the lines to print (Chinese)."""
    folder = addin_folder()
    home = home or Path(os.environ.get("USERPROFILE") or Path.home())
    if xlstart is None:
        appdata = os.environ.get("APPDATA")
        if not appdata:
            raise InputError("找不到 Excel 的启动文件夹（没有 APPDATA 环境变量）：本命令用于 Windows；可用 --xlstart 指定文件夹")
        xlstart = Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True, exist_ok=True)
    target = xlstart / ADDIN_NAME
    try:
        shutil.copyfile(folder / ADDIN_NAME, target)
    except PermissionError:
        raise InputError(f"无法写入 {target}：请先关闭 Excel 再运行") from None
    encoding = "mbcs" if sys.platform.startswith("win") else "utf-8"  # VBA's Input # reads the ANSI code page
    config = user_config_path(home)
    write_config(config, {"INTERPRETER_WIN": str(interpreter(executable)), "PYTHONPATH": str(folder),
                          "UDF MODULES": UDF_MODULE}, encoding)
    return [f"已安装插件：{target}", f"已写入配置：{config}",
            "重新启动 Excel 后，功能区出现“数据备份考核”选项卡，单元格中可使用 SC_GRADE 等函数。"]
