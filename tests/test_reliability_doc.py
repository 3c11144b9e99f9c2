"""docs/reliability.md stays true: every test it names exists."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

PAGE = ROOT / "docs" / "reliability.md"
NAMED = re.compile(r"(tests/[\w/]+\.py)::(\w+)")


def defined_tests(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_test_named_in_the_reliability_page_exists():
    named = NAMED.findall(PAGE.read_text(encoding="utf-8"))
    assert len(named) >= 20
    missing = [f"{path}::{name}" for path, name in named
               if not (ROOT / path).is_file() or name not in defined_tests(path)]
    assert not missing, f"docs/reliability.md names tests that do not exist: {missing}"


def test_every_section_is_a_table_of_input_outcome_and_test():
    text = PAGE.read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    assert {s.splitlines()[0] for s in sections} >= {"Outputs", "Scenario files and --set", "Names", "Processes"}
    for section in sections:
        assert "| Input tried | What the user gets | Test |" in section, section.splitlines()[0]
