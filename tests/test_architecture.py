"""The layout's rules, checked on the source: no import cycles between modules, the environment
read in `warehouse/settings.py` alone, and importing any module changes nothing."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.end_to_end import parse_dbt_project

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("warehouse", "loaders", "orchestration", "publish", "analysis", "bench", "api")
SETTINGS_MODULE = "warehouse.settings"


def _modules() -> dict[str, Path]:
    """Every product module by dotted name (a package is named by its __init__)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The product modules `name` imports at module level or in functions (any import)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from a.b import c` depends on module a.b.c when there is one, else on a.b
            # (the package a.b's own import, which Python does first, is not counted).
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for child in graph[node]:
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycles():
    graph = _import_graph()
    assert len(graph) > 50, "the walk found too few modules to mean anything"
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_packages_sit_in_layers():
    """warehouse imports no other package; loaders only warehouse; publish never orchestration;
    the API only warehouse."""
    allowed = {
        "api": {"warehouse", "api"},
        "warehouse": {"warehouse"},
        "loaders": {"warehouse", "loaders"},
        "publish": {"warehouse", "loaders", "publish"},
    }
    graph = _import_graph()
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if module.split(".")[0] in allowed
        and target.split(".")[0] not in allowed[module.split(".")[0]]
    ]
    assert wrong == []


def _reads_environment(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"environ", "getenv", "environb"}
            or (
                isinstance(node, ast.ImportFrom)
                and node.module == "os"
                and {alias.name for alias in node.names} & {"environ", "getenv", "environb"}
            )
        ):
            lines.append(node.lineno)
    return lines


def test_only_the_settings_module_reads_the_environment():
    readers = {
        name: lines
        for name, path in _modules().items()
        if name != SETTINGS_MODULE and (lines := _reads_environment(path))
    }
    assert readers == {}, "read settings through warehouse.settings.Settings.from_env()"
    assert _reads_environment(_modules()[SETTINGS_MODULE]), "the check must see a real reader"


def test_the_environment_check_sees_every_spelling(tmp_path):
    spellings = [
        "import os\nos.environ['X']\n",
        "import os\nos.getenv('X')\n",
        "from os import environ\n",
        "from os import getenv as g\n",
    ]
    for number, text in enumerate(spellings):
        path = tmp_path / f"m{number}.py"
        path.write_text(text)
        assert _reads_environment(path), text


# Imports every module named on the command line; prints the environment variables that
# changed and the subprocesses product code started (a library's own, e.g. platform.architecture
# run by a vendored croniter, is not ours to judge).
IMPORT_EVERYTHING = """
import importlib, os, subprocess, sys, sysconfig, traceback
root = os.getcwd()
stdlib, site = sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"]
before = dict(os.environ)
started = []
class Refuse(subprocess.Popen):
    def __init__(self, args, *rest, **kwargs):
        frames = [f.filename for f in traceback.extract_stack()[:-1]]
        caller = next(f for f in reversed(frames) if not f.startswith((stdlib, "<frozen")))
        if caller.startswith(root) and not caller.startswith(site):
            started.append((args, caller))
            raise RuntimeError(f"a subprocess at import: {args}")
        super().__init__(args, *rest, **kwargs)
subprocess.Popen = Refuse
for name in sys.argv[1:]:
    importlib.import_module(name)
changed = {k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k)}
print("CHANGED", sorted(changed))
print("STARTED", started)
"""


def test_importing_any_module_has_no_side_effects():
    parse_dbt_project()  # the Dagster definitions read the manifest the entry points prepare
    names = [name for name in _modules() if not name.endswith("__main__")]
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING, *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "CHANGED []" in result.stdout, result.stdout
    assert "STARTED []" in result.stdout, result.stdout
