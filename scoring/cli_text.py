"""No English reaches the secretary: argparse's own messages and help in Chinese, OS errors in Chinese.

argparse looks its texts up through ``gettext`` (the module-level ``_`` and ``ngettext``) each time
it needs one, so installing a catalogue here translates usage lines, help headings and every error
it raises. Option names stay English (interfaces.md §1); placeholders (metavars) are Chinese.
"""

from __future__ import annotations

import argparse
import errno
import sys

ARGPARSE_TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示程序版本并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "one of the arguments %s is required": "须给出以下参数之一：%s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument \"-\" with mode %r": "参数“-”不支持模式 %r",
}

# Placeholders argparse would derive from option names (PERIOD, OUT, ...): shown in Chinese.
METAVARS = {
    "period": "考核期", "experts": "专家姓名", "evidence": "证据材料", "out": "输出", "out_dir": "输出文件夹",
    "fee": "金额", "contract": "合同文件", "template": "模板", "policy": "选项=值", "history": "以前的汇总表",
}


def translate(text: str) -> str:
    """argparse's text in Chinese (unknown texts unchanged)."""
    return ARGPARSE_TEXTS.get(text, text)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def install() -> None:
    """Make argparse speak Chinese (idempotent)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Help with Chinese placeholders for options that have no metavar of their own."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:  # argparse's default, without importing shutil for it
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, action.dest.upper())

    def _get_default_metavar_for_positional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, action.dest)


def terminal_columns() -> int:
    """The terminal's width as shutil.get_terminal_size() gives it (COLUMNS, else the terminal of standard
    output, else 80), without importing shutil, which with its compression modules took a sixth of
    `scorecard --help`."""
    import os

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


OS_REASONS = {
    errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ENOENT: "文件或文件夹不存在", errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的", errno.EEXIST: "已存在", errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EISDIR: "这是文件夹", errno.EBUSY: "文件被占用", errno.ENAMETOOLONG: "文件名过长", errno.EIO: "读写错误（磁盘或 U 盘可能有问题）",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in Chinese (the system's own text is English on most machines)."""
    return OS_REASONS.get(exc.errno or 0, f"系统错误（错误号 {exc.errno}）")
