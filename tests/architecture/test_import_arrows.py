"""The house's arrows, read from the source: api -> intake -> {ocr, certgen, archive} -> standards.

Every ``import`` and ``from ... import`` of every module (also those inside functions) is read with
``ast``; an import of one of our packages that points up or sideways fails the test, naming the file
and line, and so does any cycle between packages.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "intake", "ocr", "certgen", "archive", "standards")
MAY_IMPORT: dict[str, frozenset[str]] = {
    "api": frozenset({"intake", "ocr", "certgen", "archive", "standards"}),  # leaves: errors and types only
    "intake": frozenset({"ocr", "certgen", "archive", "standards"}),
    "ocr": frozenset({"standards"}),
    "certgen": frozenset({"standards"}),
    "archive": frozenset({"standards"}),
    "standards": frozenset(),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _edges() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, module in _imports(path):
                target = module.split(".")[0]
                if target in PACKAGES and target != package:
                    edges.setdefault((package, target), []).append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return edges


def test_every_package_is_there() -> None:
    for package in PACKAGES:
        assert (ROOT / package / "__init__.py").is_file(), package


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_only_down(package: str) -> None:
    wrong = [where for (source, target), places in _edges().items()
             if source == package and target not in MAY_IMPORT[package] for where in places]
    assert not wrong, "imports against the arrows:\n" + "\n".join(wrong)


def test_no_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = {p: set() for p in PACKAGES}
    for source, target in _edges():
        graph[source].add(target)
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, "cycle: " + " -> ".join((*path, node))
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, (*path, node))
        done.add(node)

    for package in PACKAGES:
        visit(package, ())


def test_routes_never_see_the_container() -> None:
    """Routes take services from ``api.deps`` (``cases: Cases``) and permissions by action."""
    wrong = []
    for path in sorted((ROOT / "api" / "routes").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "api.container":
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} imports api.container")
            if isinstance(node, ast.ImportFrom) and node.module == "api.deps":
                wrong += [f"{path.relative_to(ROOT)}:{node.lineno} uses {a.name}" for a in node.names
                          if a.name in ("get_container", "require_roles")]
            if isinstance(node, ast.Attribute) and node.attr == "container":
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} reads .container")
    assert not wrong, "\n".join(wrong)


def test_the_bottom_package_is_packaged() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    include = next(line for line in text.splitlines() if line.startswith("include = "))
    for package in PACKAGES:
        assert f'"{package}*"' in include, package


def test_the_test_would_see_a_wrong_arrow(tmp_path: Path) -> None:
    """The reader finds imports inside functions too (where lazy imports hide)."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from intake.cases import CaseService\n    import api.deps\n", encoding="utf-8")
    assert [m for _, m in _imports(module)] == ["intake.cases", "api.deps"]
