"""Credentials are never persisted or shown: a connector location or a store URL keeps its
user information and token-like parameters out of the journal, results and errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pmo_core import (
    ConnectorRequest,
    InvalidInputError,
    PluginError,
    PmoConnector,
    SourceItem,
    Workspace,
    WorkspaceConfig,
    hookimpl,
)
from pmo_core._redact import redact

SECRET = "s3cr3t-Value"


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        (f"https://alice:{SECRET}@pmis.example/api", "https://***@pmis.example/api"),
        (
            f"https://pmis.example/api?project=7&access_token={SECRET}&X-Api-Key={SECRET}",
            "https://pmis.example/api?project=7&access_token=***&X-Api-Key=***",
        ),
        (f"postgresql://pmo:{SECRET}@db:5432/pmo", "postgresql://***@db:5432/pmo"),
        (
            "https://pmis.example/api?tokenizer=whitespace",
            "https://pmis.example/api?tokenizer=whitespace",
        ),
        ("sqlite:///.pmo/pmo.db", "sqlite:///.pmo/pmo.db"),
        ("exports/portfolio.csv", "exports/portfolio.csv"),
        ("C:\\exports\\portfolio.csv", "C:\\exports\\portfolio.csv"),
    ],
)
def test_redact(location: str, shown: str) -> None:
    assert redact(location) == shown


class RemoteSource:
    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        def read(request: ConnectorRequest) -> Iterator[SourceItem]:
            yield SourceItem(kind="portfolio", remote_id="PF", data={"name": "Portfolio"})

        def write(request: ConnectorRequest) -> None:
            raise RuntimeError("remote refused the upload")

        yield PmoConnector(
            name="remote", capabilities=frozenset({"read", "write"}), read=read, write=write
        )


def test_an_import_journals_and_returns_the_location_without_credentials() -> None:
    ws = Workspace.in_memory(plugins={"remote": RemoteSource()})
    location = f"https://alice:{SECRET}@pmis.example/api?token={SECRET}"

    result = ws.import_from("remote", location)

    assert result.location == "https://***@pmis.example/api?token=***"
    (entry,) = {e.command for e in ws.journal()} - {""}
    assert entry == "import remote https://***@pmis.example/api?token=***"
    assert SECRET not in repr(ws.journal())


def test_a_failing_export_names_the_location_without_credentials() -> None:
    ws = Workspace.in_memory(plugins={"remote": RemoteSource()})

    with pytest.raises(PluginError) as caught:
        ws.export_to("remote", f"https://alice:{SECRET}@pmis.example/upload")

    assert "https://***@pmis.example/upload" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_store_url_error_does_not_show_its_password(tmp_path: object) -> None:
    from pathlib import Path

    config = WorkspaceConfig.from_dict(
        Path(str(tmp_path)), {"workspace": {"store": f"postgresql://pmo:{SECRET}@db/pmo"}}
    )

    with pytest.raises(InvalidInputError) as caught:
        Workspace(config).store  # noqa: B018 - opening is what fails

    assert "postgresql://***@db/pmo" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_settings_value_of_the_wrong_shape_is_not_echoed(tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(InvalidInputError) as caught:
        WorkspaceConfig.from_dict(Path(str(tmp_path)), {"settings": {"jira": SECRET}})

    assert "settings.jira must be a table" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_bad_setting_from_the_environment_is_not_echoed(
    pmo_workspace_factory: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydantic import BaseModel, field_validator

    from pmo_core import PmoSettings

    class Jira(BaseModel):
        token: str = ""

        @field_validator("token")
        @classmethod
        def _shape(cls, value: str) -> str:
            if not value.startswith("ATATT"):
                raise ValueError(f"{value!r} is not an API token")  # a careless message
            return value

    class JiraSettings:
        @hookimpl
        def pmo_settings(self) -> Iterator[PmoSettings]:
            yield PmoSettings(name="jira", model=Jira)

    monkeypatch.setenv("PMO_JIRA_TOKEN", SECRET)
    ws = pmo_workspace_factory(plugins={"jira": JiraSettings()}, store="memory")  # type: ignore[operator]

    with pytest.raises(InvalidInputError) as caught:
        ws.settings("jira")

    assert caught.value.where == "environment variable PMO_JIRA_TOKEN"
    assert "token: '***' is not an API token" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert all(SECRET not in p for p in ws.check_settings())


class _Vault:
    """A connector whose settings hold a token, as a REST connector's do."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        from pydantic import BaseModel, SecretStr

        class VaultSettings(BaseModel):
            token: SecretStr

        def read(request: ConnectorRequest) -> Iterator[SourceItem]:
            settings = request.settings
            assert isinstance(settings, VaultSettings)
            self.seen.append(settings.token.get_secret_value())
            yield SourceItem(kind="portfolio", remote_id="PF", data={"name": "Portfolio"})

        yield PmoConnector(
            name="vault", capabilities=frozenset({"read"}), settings=VaultSettings, read=read
        )


def test_a_secret_from_a_file_reaches_the_connector_and_nothing_else(
    pmo_workspace_factory: object, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from pathlib import Path

    secret_file = Path(str(tmp_path)) / "token"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    monkeypatch.setenv("PMO_VAULT_TOKEN_FILE", str(secret_file))
    vault = _Vault()
    ws = pmo_workspace_factory(plugins={"vault": vault}, store="memory")  # type: ignore[operator]

    result = ws.import_from("vault", "https://vault.example")

    assert vault.seen == [SECRET]  # the file's text, without its line break
    assert SECRET not in repr(ws.settings("vault"))
    assert SECRET not in repr(ws.journal())
    assert SECRET not in repr(result.as_dict())
    assert SECRET not in repr([doc.data for k in ws.store.kinds() for doc in ws.store.query(k)])


def test_an_unreadable_secret_file_names_the_variable_only(
    pmo_workspace_factory: object, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("PMO_VAULT_TOKEN_FILE", f"{tmp_path}/missing-{SECRET}")
    ws = pmo_workspace_factory(plugins={"vault": _Vault()}, store="memory")  # type: ignore[operator]

    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("vault", "https://vault.example")

    assert caught.value.where == "PMO_VAULT_TOKEN_FILE"
    assert "cannot read the file it names: No such file or directory" in caught.value.message
    assert SECRET not in str(caught.value)
    assert ws.journal() == []
