"""Hostile and broken input: entities, entity bombs, DTDs, truncated files, a wrong root, a
.mpp that is not one, a missing Java. Each is one InvalidInputError saying where, and an
import that fails writes nothing."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from msproject_samples import DATA, read
from pmo_msproject import _mpxj

from pmo_core import InvalidInputError, Workspace

NS = "http://schemas.microsoft.com/project"
SECRET = "top-secret-do-not-read"

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE Project [\n <!ENTITY a "lol">\n'
    + "".join(f' <!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">\n' for n in range(8))
    + f']>\n<Project xmlns="{NS}"><Title>&i;</Title></Project>\n'
)


def hostile_files(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """name -> (content, what the message says), and the line the problem is on."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    sample = (DATA / "task-links-project2019-mspdi.xml").read_text(encoding="utf-8")
    return {
        "external entity": (
            f'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY x SYSTEM "file://{secret}">]>\n'
            f'<Project xmlns="{NS}"><Title>&x;</Title></Project>',
            "a DTD is refused",
        ),
        "entity bomb": (BILLION_LAUGHS, "a DTD is refused"),
        "external DTD": (
            f'<?xml version="1.0"?>\n<!DOCTYPE Project SYSTEM "file://{secret}">\n'
            f'<Project xmlns="{NS}"/>',
            "a DTD is refused",
        ),
        "truncated": (sample[: len(sample) // 2], "not well-formed"),
        "wrong root": (
            '<?xml version="1.0"?>\n<Plan xmlns="urn:other"/>',
            "the root element is <Plan>",
        ),
        "no namespace": ('<?xml version="1.0"?>\n<Project/>', "without a namespace"),
        "not XML": ("\x00\x01PK\x03\x04 binary", "not well-formed"),
        "empty": ("", "not well-formed"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "external entity",
        "entity bomb",
        "external DTD",
        "truncated",
        "wrong root",
        "no namespace",
        "not XML",
        "empty",
    ],
)
def test_hostile_mspdi_is_one_error_with_its_position_and_writes_nothing(
    ws: Workspace, tmp_path: Path, case: str
) -> None:
    content, says = hostile_files(tmp_path)[case]
    bad = tmp_path / "bad.xml"
    bad.write_text(content, encoding="utf-8")

    with pytest.raises(InvalidInputError, match=says) as caught:
        ws.import_from("mspdi", bad)

    where = caught.value.where or ""
    file, line, column = where.rsplit(":", 2)
    assert file == str(bad)
    assert int(line) >= 1
    assert int(column) >= 1
    assert SECRET not in str(caught.value)
    assert ws.journal() == []


def test_a_value_the_domain_refuses_names_the_task(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        f'<?xml version="1.0"?>\n<Project xmlns="{NS}"><Title>T</Title><Tasks>\n'
        "<Task><UID>1</UID><Name>ok</Name><OutlineLevel>1</OutlineLevel></Task>\n"
        f"<Task><UID>2</UID><Name>{'x' * 300}</Name><OutlineLevel>1</OutlineLevel></Task>\n"
        "</Tasks></Project>",
        encoding="utf-8",
    )

    with pytest.raises(InvalidInputError, match="too long") as caught:
        ws.import_from("mspdi", bad)
    assert caught.value.where == f"{bad}:4:1"
    assert ws.journal() == []


def test_a_bad_date_names_the_task(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        f'<Project xmlns="{NS}"><Tasks>\n  <Task><UID>1</UID><OutlineLevel>1</OutlineLevel>'
        "<Start>yesterday</Start></Task></Tasks></Project>",
        encoding="utf-8",
    )

    with pytest.raises(InvalidInputError, match="Start: 'yesterday' is not a date") as caught:
        read("mspdi", bad)
    assert caught.value.where == f"{bad}:2:3"


def test_the_cli_exits_non_zero_and_the_journal_is_unchanged(
    pmo_cli: Callable[..., Any], pmo_workspace: Workspace, tmp_path: Path
) -> None:
    pmo_cli("plugins", "enable", "msproject", workspace=pmo_workspace)
    before = len(pmo_workspace.journal())
    bad = tmp_path / "bad.xml"
    bad.write_text(BILLION_LAUGHS, encoding="utf-8")

    result = pmo_cli("import", "mspdi", bad, workspace=pmo_workspace)

    assert result.exit_code != 0
    assert f"{bad}:2:" in result.stderr
    assert "Traceback" not in result.stderr + result.output
    assert len(pmo_workspace.journal()) == before


@pytest.mark.parametrize("connector", ["msproject", "primavera"])
def test_a_file_that_is_not_a_schedule_is_one_error(
    ws: Workspace, tmp_path: Path, connector: str
) -> None:
    fake = tmp_path / "plan.mpp"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 not really an OLE2 compound file" * 10)

    with pytest.raises(InvalidInputError) as caught:
        ws.import_from(connector, fake)
    assert caught.value.where == str(fake)
    assert ws.journal() == []


def test_a_missing_file_is_one_error(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"no such file|cannot read"):
        ws.import_from("msproject", tmp_path / "nowhere.mpp")


def test_without_the_extra_the_error_says_what_to_install(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.import_module

    def no_mpxj(name: str) -> Any:
        if name == "mpxj":
            raise ImportError("No module named 'mpxj'")
        return real(name)

    monkeypatch.setattr(_mpxj, "_reader_class", None)
    monkeypatch.setattr(_mpxj.importlib, "import_module", no_mpxj)

    with pytest.raises(InvalidInputError, match=r"pip install 'pmo-msproject\[mpxj\]'"):
        ws.import_from("msproject", DATA / "task-links-project2019-mpp14.mpp")


def test_without_java_the_error_says_what_to_install(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoJava(Exception):
        pass

    def start(*args: Any, **kwargs: Any) -> None:
        raise NoJava("No JVM shared library file (libjvm.so) found")

    fake = SimpleNamespace(isJVMStarted=lambda: False, startJVM=start, JVMNotFoundException=NoJava)
    real = importlib.import_module
    monkeypatch.setattr(_mpxj, "_reader_class", None)
    monkeypatch.setattr(
        _mpxj.importlib, "import_module", lambda name: fake if name == "jpype" else real(name)
    )

    with pytest.raises(InvalidInputError, match="apt-get install default-jre-headless"):
        ws.import_from("primavera", DATA / "resource-rates-test.xer")


@pytest.mark.parametrize("case", ["external entity", "entity bomb", "external DTD"])
def test_mpxj_refuses_the_same_hostile_xml(ws: Workspace, tmp_path: Path, case: str) -> None:
    content, _ = hostile_files(tmp_path)[case]
    bad = tmp_path / "bad.xml"
    bad.write_text(content, encoding="utf-8")

    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("msproject", bad)
    assert SECRET not in str(caught.value)
    assert ws.journal() == []


@pytest.mark.parametrize(
    ("element", "value"),
    [("OutlineLevel", "nan"), ("PercentComplete", "inf"), ("Cost", "NaN"), ("Work", "PT1e9H")],
)
def test_numbers_that_are_not_are_refused_with_the_task(
    tmp_path: Path, element: str, value: str
) -> None:
    level = "" if element == "OutlineLevel" else "<OutlineLevel>1</OutlineLevel>"
    bad = tmp_path / "bad.xml"
    bad.write_text(
        f'<Project xmlns="{NS}"><Tasks>\n<Task><UID>1</UID><Name>A</Name>{level}'
        f"<{element}>{value}</{element}></Task></Tasks></Project>",
        encoding="utf-8",
    )

    with pytest.raises(InvalidInputError, match=element if element != "Work" else "duration") as e:
        read("mspdi", bad)
    assert e.value.where == f"{bad}:2:1"


def test_an_import_says_every_task_it_cannot_read_at_once(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        f'<Project xmlns="{NS}"><Title>T</Title><Tasks>\n'
        "<Task><UID>1</UID><Name>Phase</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary>"
        "<Start>soon</Start></Task>\n"
        "<Task><UID>2</UID><Name>Fine</Name><OutlineLevel>2</OutlineLevel></Task>\n"
        "<Task><UID>3</UID><Name>Odd</Name><OutlineLevel>2</OutlineLevel>"
        "<PercentComplete>140</PercentComplete></Task>\n"
        "</Tasks></Project>",
        encoding="utf-8",
    )

    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("mspdi", bad)

    assert [(p.where, p.message.split(":")[0]) for p in caught.value.problems] == [
        (f"{bad}:2:1", "Start"),
        (f"{bad}:4:1", "PercentComplete"),
    ]
    assert ws.journal() == []
    with pytest.raises(InvalidInputError, match="Start"):  # outside an import: the first
        read("mspdi", bad)
