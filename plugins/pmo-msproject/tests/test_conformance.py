"""The mspdi connector passes the connector conformance suite, on a real MS Project file."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import ClassVar

import pmo_msproject
from msproject_samples import DATA

from pmo_core.testing.connector_conformance import ConnectorConformance

NS = "http://schemas.microsoft.com/project"
_FIELDS = {"subject": "Name"}


class MspdiSample:
    """sample.xml (summary tasks, a milestone, links, resources), edited task by task."""

    connector = "mspdi"
    plugins: ClassVar[dict[str, object]] = {"msproject": pmo_msproject}
    record = ("work_item", "sample/2", "subject")
    expected: ClassVar[dict[str, int]] = {
        "project": 1,
        "resource": 2,
        "milestone": 1,
        "work_item": 19,
    }

    def __init__(self, root: Path) -> None:
        self.path = root / "sample.xml"
        shutil.copy(DATA / "sample.xml", self.path)
        self.location = str(self.path)
        self.export_to = str(root / "exported.xml")

    def _edit(self, uid: str, change: object) -> None:
        ET.register_namespace("", NS)
        tree = ET.parse(self.path)
        tasks = tree.getroot().find(f"{{{NS}}}Tasks")
        assert tasks is not None
        for task in tasks.findall(f"{{{NS}}}Task"):
            if task.findtext(f"{{{NS}}}UID") == uid:
                if change is None:
                    tasks.remove(task)
                else:
                    field, value = change  # type: ignore[misc]
                    element = task.find(f"{{{NS}}}{_FIELDS[field]}")
                    assert element is not None
                    element.text = value
        tree.write(self.path, encoding="UTF-8", xml_declaration=True)

    def change(self, kind: str, remote_id: str, field: str, value: str) -> None:
        assert kind == "work_item"
        self._edit(remote_id.rsplit("/", 1)[1], (field, value))

    def delete(self, kind: str, remote_id: str) -> None:
        assert kind == "work_item"
        self._edit(remote_id.rsplit("/", 1)[1], None)

    def deletable(self) -> tuple[str, str]:
        return ("work_item", "sample/21")  # a leaf no task follows

    def corrupt(self) -> str:
        text = self.path.read_text(encoding="utf-8")
        self.path.write_text(text[: len(text) // 2], encoding="utf-8")
        return str(self.path)


class TestMspdiConnector(ConnectorConformance):
    sample_type = MspdiSample
