"""A connector record refuses capabilities without their function and options that are not
option names, naming the connector and the option."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pmo_core import PmoConnector


def _read(request: Any) -> Any:
    return iter(())


def _write(request: Any, records: Any) -> None:
    return None


def _message(info: pytest.ExceptionInfo[ValidationError]) -> str:
    (error,) = info.value.errors()
    return str(error["msg"]).removeprefix("Value error, ")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"capabilities": frozenset({"read"})},
            "connector 'acme-src' declares 'read' but has no read function",
        ),
        (
            {"capabilities": frozenset({"read", "write"}), "read": _read},
            "connector 'acme-src' declares 'write' but has no write function",
        ),
    ],
)
def test_a_capability_without_its_function_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        PmoConnector(name="acme-src", **fields)
    assert _message(info) == message


@pytest.mark.parametrize("option", ["Sheet", "sheet name", "allow_empty", ""])
def test_an_option_that_is_not_an_option_name_is_refused(option: str) -> None:
    with pytest.raises(ValidationError) as info:
        PmoConnector(
            name="acme-src",
            capabilities=frozenset({"read"}),
            read=_read,
            options={option: "What it does."},
        )
    assert _message(info) == (
        f"connector 'acme-src' declares the option {option!r}: an option is lower case "
        "letters, digits, '_' and '-', and allow_empty is the core's"
    )


def test_a_connector_with_its_functions_and_option_names_is_taken() -> None:
    connector = PmoConnector(
        name="acme-src",
        capabilities=frozenset({"read", "write"}),
        read=_read,
        write=_write,
        options={"sheet": "The sheet to read.", "date-format_2": "How dates are written."},
    )
    assert sorted(connector.options) == ["date-format_2", "sheet"]
