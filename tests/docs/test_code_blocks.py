"""Every code block in the SDK docs runs: python blocks in order per page, console blocks
through click's CliRunner, both in one scratch directory per page (see markdown_blocks)."""

from __future__ import annotations

import os
import shlex
import sys
import traceback
from pathlib import Path

import pytest
from markdown_blocks import DOCS, Block, blocks, pages

README = DOCS.parent / "README.md"
# Console lines that are not pmo commands: shown for the reader, not run by the tests
# (the packages are installed by the test environment; benchmarks are not tests).
NOT_RUN = ("pip", "python", "pytest", "tox", "git", "mkdocs", "curl")
# Languages for shell sessions that the runner would not run: write them as ```console.
SHELL_LANGS = ("bash", "sh", "shell", "shell-session", "zsh")


def commands(block: Block) -> list[tuple[str, list[str]]]:
    """The ``$`` lines of a console block, each with the output lines shown under it.

    A line ending in a backslash continues on the next line, as in a shell.
    """
    found: list[tuple[str, list[str]]] = []
    continued = False
    for line in block.code.splitlines():
        if continued:
            found[-1] = (found[-1][0][:-1].rstrip() + " " + line.strip(), [])
        elif line.startswith("$ "):
            found.append((line, []))
        elif found and line.strip() and line.strip() != "...":
            found[-1][1].append(line.rstrip())
        continued = bool(found) and not found[-1][1] and found[-1][0].endswith("\\")
    return found


class PageRunner:
    """Runs one page's blocks in order in ``root``, sharing a namespace and a cwd."""

    def __init__(self, page: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.page = page
        self.root = root
        self.monkeypatch = monkeypatch
        self.namespace: dict[str, object] = {"__name__": "__docs__"}
        self.ran_pmo = False
        monkeypatch.chdir(root)
        monkeypatch.setenv("PMO_CACHE_DIR", str(root / ".cache"))
        monkeypatch.setenv("PMO_USER", "docs")
        # The pages show what a terminal 160 columns wide shows (CliRunner is not a terminal).
        monkeypatch.setenv("PMO_TABLES", "aligned")
        monkeypatch.setenv("COLUMNS", "160")
        for name in (
            "PMO_WORKSPACE",
            "PMO_PLUGINS_ALLOW",
            "PMO_PLUGINS_DENY",
            "PMO_STRICT",
            "PMO_STORE_URL",
        ):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.syspath_prepend(str(root))

    def run(self, block: Block) -> None:
        if block.file:
            self.write_file(block)
        elif block.lang == "python":
            self.run_python(block)
        elif block.lang == "console":
            self.run_console(block)

    def write_file(self, block: Block) -> None:
        assert block.file is not None
        if block.file.endswith(".py"):
            compile(block.body, block.where, "exec")  # a file shown is at least valid Python
        path = Path.cwd() / block.file
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = "a" if path.exists() and path.stat().st_size else "w"
        with open(path, mode, encoding="utf-8") as f:
            f.write(("\n\n" if mode == "a" else "") + block.body)

    def run_python(self, block: Block) -> None:
        code = compile(block.code, block.where, "exec")
        try:
            exec(code, self.namespace)
        except Exception:
            pytest.fail(f"{block.where}: python block raised\n{traceback.format_exc()}")

    def run_console(self, block: Block) -> None:
        expected = int(block.markers.get("exit", "0"))
        for line, shown in commands(block):
            words = shlex.split(line[2:], comments=True)
            env: dict[str, str] = {}
            while words and "=" in words[0] and not words[0].startswith("-"):
                key, _, value = words.pop(0).partition("=")
                env[key] = value
            command, args = words[0], words[1:]
            if command == "cd":
                os.chdir(Path.cwd() / args[0])
            elif command == "export":
                key, _, value = args[0].partition("=")
                self.monkeypatch.setenv(key, value)
            elif command == "pmo":
                self.run_pmo(block, line, args, env, expected, shown)
            elif command not in NOT_RUN:
                pytest.fail(f"{block.where}: console line {line!r} is neither pmo nor known")

    def run_pmo(
        self,
        block: Block,
        line: str,
        args: list[str],
        env: dict[str, str],
        expected: int,
        shown: list[str],
    ) -> None:
        from click.testing import CliRunner

        from pmo_core import Workspace
        from pmo_core._cli import cli

        starts_mid_story = not args or args[0] not in ("init", "demo", "--help", "--version")
        if not self.ran_pmo and starts_mid_story and not (Path.cwd() / "pmo.toml").exists():
            # A page that starts mid-story gets a fresh starter workspace to run in.
            Workspace.init(Path.cwd(), profile="starter").close()
        self.ran_pmo = True
        result = CliRunner().invoke(cli, args, prog_name="pmo", env=env or None)
        if result.exit_code != expected:
            detail = ""
            if result.exception and not isinstance(result.exception, SystemExit):
                detail = "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
            pytest.fail(
                f"{block.where}: {line!r} exited {result.exit_code}, expected {expected}\n"
                f"{result.output}{detail}"
            )
        # Output shown under a command must be what it prints ("..." elides lines).
        printed = [out.rstrip() for out in result.output.splitlines()]
        missing = [out for out in shown if out not in printed]
        if missing:
            pytest.fail(
                f"{block.where}: {line!r} did not print {missing}\nit printed:\n{result.output}"
            )


def _page_id(page: Path) -> str:
    return page.relative_to(DOCS).as_posix()


def run_blocks(
    page: Path, found: list[Block], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> PageRunner:
    """Run ``found`` (blocks of ``page``) in order in ``tmp_path``."""
    runner = PageRunner(page, tmp_path, monkeypatch)
    before = set(sys.modules)
    try:
        for block in found:
            runner.run(block)
    finally:
        # Modules a page wrote and imported (its own plugin files) must not leak into the next.
        for name in set(sys.modules) - before:
            module = sys.modules[name]
            if str(getattr(module, "__file__", "") or "").startswith(str(tmp_path)):
                del sys.modules[name]
    return runner


@pytest.mark.parametrize("page", pages(), ids=_page_id)
def test_page_code_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_blocks(page, blocks(page), tmp_path, monkeypatch)


def test_readme_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's tour and plugin run like a docs page; its two set-up commands (install
    and demo, the whole test suite) are what CI itself runs, so they carry no ``$`` prompt."""
    found = blocks(README)
    setup = [b for b in found if b.lang == "console" and not commands(b)]
    assert [b.code.split()[0] for b in setup] == ["python3", "bash"]
    runner = run_blocks(README, [b for b in found if b not in setup], tmp_path, monkeypatch)
    assert runner.ran_pmo


def test_blocks_are_runnable_or_files() -> None:
    """Every block runs or is a file; nothing is silently skipped."""
    problems = []
    for page in pages():
        rel = _page_id(page)
        for block in blocks(page):
            if "fragment" in block.markers:
                problems.append(f"{block.where}: every python block runs; there are no fragments")
            problems += _no_run_problems(block)
            if block.lang in ("py", "python3", "pycon"):
                problems.append(f"{block.where}: use ```python (runnable) or a '# file:' block")
            if not block.lang:
                problems.append(f"{block.where}: say the language (python, console, toml, text)")
            if block.lang in SHELL_LANGS:
                problems.append(f"{block.where}: write shell sessions as ```console")
            problems += _console_problems(block)
        problems += [
            f"{rel}:{n}: use ``` fences; ~~~ blocks are not found, so never run"
            for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1)
            if line.lstrip().startswith("~~~")
        ]
    assert problems == []


def _no_run_problems(block: Block) -> list[str]:
    """``<!-- no-run: why -->`` is only for a file block, and says why it is not run."""
    if "no-run" not in block.markers:
        return []
    problems = []
    if not block.file:
        problems.append(f"{block.where}: no-run is only for '# file:' blocks")
    if not block.markers["no-run"].strip():
        problems.append(f"{block.where}: say why it is not run (<!-- no-run: why -->)")
    return problems


def _console_problems(block: Block) -> list[str]:
    """A console block runs only its ``$`` lines: text before the first one, or no ``$`` line
    at all, would be silently skipped."""
    if block.lang != "console" or block.file:
        return []
    lines = [line for line in block.code.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("$ "):
        return [f"{block.where}: a console block starts with a '$ ' command line"]
    return []


def test_runner_detects_a_failing_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\nx = 1\n```\n\n```python\nassert x == 2\n```\n")
    runner = PageRunner(page, tmp_path, monkeypatch)
    found = blocks(page)
    runner.run(found[0])
    with pytest.raises(pytest.fail.Exception):
        runner.run(found[1])


def test_runner_checks_shown_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "page.md"
    page.write_text("```console\n$ pmo --version\npmo 9.9.9\n```\n")
    runner = PageRunner(page, tmp_path, monkeypatch)
    with pytest.raises(pytest.fail.Exception, match="did not print"):
        runner.run(blocks(page)[0])


def test_runner_joins_continued_lines_and_drops_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```console\n$ pmo init acme \\\n      --profile controlling   # with gates\n```\n"
    )
    [block] = blocks(page)
    assert commands(block) == [("$ pmo init acme --profile controlling   # with gates", [])]
    PageRunner(page, tmp_path, monkeypatch).run(block)
    assert 'methodology = "stage-gate"' in (tmp_path / "acme" / "pmo.toml").read_text()


def test_blocks_that_would_not_run_are_reported(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```console\npmo init acme\n```\n\n```console\n$ pmo --version\n```\n")
    found = blocks(page)
    assert _console_problems(found[0]) != []
    assert _console_problems(found[1]) == []


def test_file_blocks_of_python_must_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\n# file: pkg/mod.py\ndef broken(:\n```\n")
    with pytest.raises(SyntaxError):
        PageRunner(page, tmp_path, monkeypatch).run(blocks(page)[0])


def test_a_no_run_marker_says_why(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- no-run -->\n```python\n# file: a.py\nx = 1\n```\n\n"
        "<!-- no-run: needs a server -->\n```python\n# file: b.py\nx = 1\n```\n"
    )
    found = blocks(page)
    assert _no_run_problems(found[0]) == [
        f"{found[0].where}: say why it is not run (<!-- no-run: why -->)"
    ]
    assert _no_run_problems(found[1]) == []
