"""The layering and house rules of DESIGN.md and STYLE.md, checked on the source tree."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "newsterm"
UI = PACKAGE / "ui"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def test_nothing_below_ui_imports_textual():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files(PACKAGE)
        if UI not in path.parents and {"textual"} & _imported_modules(path)
    ]
    assert offenders == []


def test_ui_asks_the_library_instead_of_network_parsing_or_sql():
    forbidden = {"httpx", "lxml", "sqlite3", "readability", "feedparser"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(forbidden & _imported_modules(path))
        for path in _python_files(UI)
        if forbidden & _imported_modules(path)
    }
    assert offenders == {}


def test_only_the_store_speaks_sql():
    store = PACKAGE / "store"
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files(PACKAGE)
        if "sqlite3" in _imported_modules(path) and store not in path.parents
    ]
    assert offenders == []


def test_sources_and_extract_are_pure():
    impure = {"httpx", "sqlite3", "textual", "socket", "urllib3"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(impure & _imported_modules(path))
        for folder in (PACKAGE / "sources", PACKAGE / "extract")
        for path in _python_files(folder)
        if impure & _imported_modules(path)
    }
    assert offenders == {}


def test_importing_the_library_does_not_import_textual():
    # A fresh interpreter, so modules imported by other tests do not hide a leak.
    code = (
        "import sys, newsterm.library, newsterm.store, newsterm.cli;"
        "print(','.join(m for m in ('textual', 'httpx', 'lxml', 'readability', 'feedparser')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # The CLI and library load network and parsing code only when a command needs it.
    assert out.stdout.strip() == ""


def test_every_module_starts_with_a_one_line_docstring():
    missing = []
    for path in _python_files(PACKAGE):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if not doc or "\n" in doc.strip():
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_no_grab_bag_modules():
    grab_bags = {"utils.py", "helpers.py", "misc.py", "common.py"}
    assert [p.name for p in _python_files(PACKAGE) if p.name in grab_bags] == []


def test_ui_has_one_class_per_file():
    crowded = {}
    for path in _python_files(UI):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        if len(classes) > 1:
            crowded[str(path.relative_to(ROOT))] = classes
    assert crowded == {}


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
    reason="ruff is not installed",
)
def test_ruff_check_and_format_are_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    targets = [
        str(ROOT / name)
        for name in ("newsterm", "tests", "benchmarks", "screenshots")
        if (ROOT / name).exists()
    ]
    check = subprocess.run(
        [ruff, "check", "--output-format", "concise", *targets],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run(
        [ruff, "format", "--check", *targets], capture_output=True, text=True, cwd=ROOT
    )
    assert fmt.returncode == 0, fmt.stdout[-3000:]
