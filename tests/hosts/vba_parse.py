"""Parse VBA source with the ANTLR VBA grammar from PyPI (antlr4-vba), after VBA's own first phase,
conditional compilation (#Const, #If ... Then, #Else, #End If), which that grammar leaves to a separate
pass. Returns the syntax errors as (line, column, message)."""

from __future__ import annotations

import re

_CONST = re.compile(r'^\s*#Const\s+(\w+)\s*=\s*"([^"]*)"', re.I)
_IF = re.compile(r'^\s*#If\s+(\w+)\s*=\s*"([^"]*)"\s+Then\s*$', re.I)
_ELSE = re.compile(r"^\s*#Else\s*$", re.I)
_END = re.compile(r"^\s*#End\s+If\s*$", re.I)


def preprocess(text: str, consts: dict[str, str] | None = None) -> str:
    """The source the compiler sees: directives become blank lines (so line numbers stay), and the
    lines of branches not taken too. Only the `#If NAME = "text" Then` form xlwings writes is supported."""
    values = {k.lower(): v for k, v in (consts or {}).items()}
    out: list[str] = []
    stack: list[bool] = []
    for line in text.splitlines():
        if m := _CONST.match(line):
            values.setdefault(m.group(1).lower(), m.group(2))
            out.append("")
        elif m := _IF.match(line):
            stack.append(values.get(m.group(1).lower()) == m.group(2))
            out.append("")
        elif _ELSE.match(line):
            stack[-1] = not stack[-1]
            out.append("")
        elif _END.match(line):
            stack.pop()
            out.append("")
        elif line.lstrip().startswith("#"):
            raise ValueError(f"unsupported directive: {line.strip()}")
        else:
            out.append(line if all(stack) else "")
    if stack:
        raise ValueError("#If without #End If")
    return "\n".join(out) + "\n"


def syntax_errors(text: str, consts: dict[str, str] | None = None) -> list[tuple[int, int, str]]:
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.error.ErrorListener import ErrorListener
    from antlr4_vba.vbaLexer import vbaLexer
    from antlr4_vba.vbaParser import vbaParser

    class Collect(ErrorListener):
        def __init__(self):
            self.errors: list[tuple[int, int, str]] = []

        def syntaxError(self, recognizer, symbol, line, column, msg, e):
            self.errors.append((line, column, msg))

    listener = Collect()
    lexer = vbaLexer(InputStream(preprocess(text, consts)))
    lexer.removeErrorListeners()
    lexer.addErrorListener(listener)
    parser = vbaParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(listener)
    parser.startRule()
    return listener.errors
