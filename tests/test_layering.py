"""The layers hold: pure packages import no Django and nothing impure; `articles` never imports `annotations`.

Read from the source (the import statements themselves), so the boundary is enforced, not claimed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = ["annotations/text", "annotations/formats", "articles/text", "articles/alignment"]
PURE_MODULES = tuple(p.replace("/", ".") for p in PURE)


def _imports(path: Path) -> list[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _python_files(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_import_no_django_and_no_impure_project_module(package):
    offenders = []
    for path in _python_files(package):
        for name in _imports(path):
            impure_project = name.split(".")[0] in {"annotations", "articles", "sinorus"} and not name.startswith(
                PURE_MODULES
            )
            if name.split(".")[0] == "django" or impure_project:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_articles_never_imports_annotations():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _python_files("articles")
        for name in _imports(path)
        if name.split(".")[0] == "annotations"
    ]
    assert not offenders, "\n".join(offenders)


def test_every_pure_package_exists_and_has_modules():
    for package in PURE:
        assert len(_python_files(package)) >= 2, package


def test_no_test_reads_anything_beside_the_repository():
    """A fresh clone has nothing beside it: what the tests need is vendored under tests/data/."""
    folder = "sha" + "red"  # spelled in pieces so that this file does not match itself
    outside = (f'/ "{folder}"', f"../{folder}")
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if any(needle in path.read_text(encoding="utf-8") for needle in outside)
    ]
    assert not offenders, offenders
