"""The password of a store URL never appears: not in the store's repr, its errors, the
tracebacks of its failures, the logs of the driver and the pool, nor anything pmo prints."""

from __future__ import annotations

import logging
import socket
import traceback
from typing import Any
from urllib.parse import quote

import pytest
from pmo_postgres import PostgresStore, mask_url

from pmo_core import StoreError

WRONG = "n0t-the-Pa55word"


def _password(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]


def _with_password(url: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    user = rest.split(":", 1)[0]
    return f"{scheme}://{user}:{quote(password, safe='')}@{rest.split('@', 1)[1]}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _failure(url: str, **options: Any) -> tuple[StoreError, str]:
    with pytest.raises(StoreError) as info:
        PostgresStore(url, **options)
    shown = "".join(traceback.format_exception(info.type, info.value, info.tb))
    return info.value, shown


def test_mask_url_hides_every_form_of_the_password() -> None:
    assert mask_url("postgresql://pmo:s3cret@db:5432/pmo?schema=a") == (
        "postgresql://pmo:***@db:5432/pmo?schema=a"
    )
    assert mask_url("postgres://db/pmo?user=pmo&password=s3cret") == (
        "postgres://db/pmo?user=pmo&password=***"
    )
    assert mask_url("postgresql://pmo@db/pmo") == "postgresql://pmo@db/pmo"


def test_repr_and_url_show_no_password(store_url: str, pg_store: PostgresStore) -> None:
    password = _password(store_url)
    assert password not in repr(pg_store)
    assert "pmo:***@" in repr(pg_store)
    assert password not in pg_store.url
    pg_store.close()
    with pytest.raises(StoreError) as info:
        pg_store.get("project", "ALPHA")
    assert password not in str(info.value)
    assert "is closed" in str(info.value)


@pytest.mark.parametrize("wrong", [WRONG, "p@ss:w/rd %41?&="])
def test_a_wrong_password_is_refused_without_showing_it(
    store_url: str, wrong: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error, shown = _failure(_with_password(store_url, wrong))
    message = str(error)
    assert message.startswith("cannot connect to the store postgresql://pmo:***@")
    assert "password authentication failed" in message
    for form in (wrong, quote(wrong, safe=""), _password(store_url)):
        assert form not in shown
        assert form not in caplog.text
    assert error.__cause__ is None  # the driver's exception is not chained: it shows nothing
    assert error.__suppress_context__


def test_a_refused_connection_names_the_server_not_the_password(
    server_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"postgresql://pmo:{WRONG}@127.0.0.1:{_free_port()}/pmo_test"
    error, shown = _failure(url, create=False)
    assert f"postgresql://pmo:***@127.0.0.1:{url.rsplit(':', 1)[1]}" in str(error)
    assert WRONG not in shown
    assert WRONG not in caplog.text


def test_a_password_given_as_a_parameter_is_masked_too(server_url: str) -> None:
    host = server_url.split("@", 1)[1]
    error, shown = _failure(f"postgresql://{host}?user=pmo&password={WRONG}")
    assert "password=***" in str(error)
    assert WRONG not in shown


def test_working_with_a_store_logs_no_password(
    store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with PostgresStore(store_url) as store:
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha"})
        assert store.verify().ok
        assert _password(store_url) not in "".join(map(str, store.journal()))
    assert _password(store_url) not in caplog.text
