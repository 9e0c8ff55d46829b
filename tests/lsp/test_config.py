"""Settings from initializationOptions, workspace/configuration and .spillguard.toml, applied live."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .support import GITHUB_TOKEN, diagnostics_for, open_doc, start

HINT, WARNING = types.DiagnosticSeverity.Hint, types.DiagnosticSeverity.Warning
SOURCE = f'value = "{GITHUB_TOKEN}"\n'  # only the GitHub rule knows it


def configure(client: LanguageClient, settings: object) -> None:
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))


async def test_rule_off_in_initialization_options(bare_client: LanguageClient, tmp_path: Path) -> None:
    await start(bare_client, tmp_path, {"rules": {"github-pat": False}})
    uri = (tmp_path / "a.py").as_uri()
    open_doc(bare_client, uri, SOURCE)
    assert await diagnostics_for(bare_client, uri, version=1) == []


async def test_settings_change_applies_without_restart(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "a.py").as_uri()
    open_doc(client, uri, SOURCE)
    (d,) = await diagnostics_for(client, uri, version=1)
    assert d.severity == types.DiagnosticSeverity.Error
    configure(client, {"spillguard": {"severity": {"github-pat": "hint"}}})
    (d,) = await diagnostics_for(client, uri, version=1, until=lambda ds: ds[0].severity == HINT)
    configure(client, {"spillguard": {"rules": {"github-pat": False}}})
    assert await diagnostics_for(client, uri, version=1, until=lambda ds: not ds) == []
    configure(client, {"spillguard": {"rules": {"github-pat": True}}})
    assert [d.code for d in await diagnostics_for(client, uri, version=1, until=bool)] == ["github-pat"]


async def test_workspace_configuration_is_pulled(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "a.py").as_uri()
    open_doc(client, uri, SOURCE)
    await diagnostics_for(client, uri, version=1)
    client.set_configuration({"severity": {"github-pat": "warning"}}, section="spillguard")
    configure(client, None)  # "something changed": the server asks for the section
    await diagnostics_for(client, uri, version=1, until=lambda ds: ds[0].severity == WARNING)


async def test_project_config_is_merged(bare_client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".spillguard.toml").write_text('disable = ["github-pat"]\n', encoding="utf-8")
    await start(bare_client, tmp_path)
    uri = (tmp_path / "a.py").as_uri()
    open_doc(bare_client, uri, SOURCE)
    assert await diagnostics_for(bare_client, uri, version=1) == []
    # The client's settings win over the project's file.
    configure(bare_client, {"spillguard": {"rules": {"github-pat": True}}})
    assert [d.code for d in await diagnostics_for(bare_client, uri, version=1, until=bool)] == ["github-pat"]


async def test_excludes_from_settings(bare_client: LanguageClient, tmp_path: Path) -> None:
    await start(bare_client, tmp_path, {"exclude": ["generated/"]})
    skipped, kept = (tmp_path / "generated" / "a.py").as_uri(), (tmp_path / "src" / "a.py").as_uri()
    open_doc(bare_client, skipped, SOURCE)
    assert await diagnostics_for(bare_client, skipped, version=1) == []
    open_doc(bare_client, kept, SOURCE)
    assert len(await diagnostics_for(bare_client, kept, version=1)) == 1


async def test_bad_settings_are_reported_not_fatal(bare_client: LanguageClient, tmp_path: Path) -> None:
    await start(bare_client, tmp_path, {"debounce": "soon", "logLevel": "loud", "rules": ["x"]})
    uri = (tmp_path / "a.py").as_uri()
    open_doc(bare_client, uri, SOURCE)
    assert len(await diagnostics_for(bare_client, uri, version=1)) == 1
    warnings = [m.message for m in bare_client.log_messages if m.type == types.MessageType.Warning]
    assert any("'debounce' ignored" in w for w in warnings)
    assert any("'logLevel' ignored" in w for w in warnings)
    assert any("'rules' ignored" in w for w in warnings)


async def test_broken_project_config_is_logged_and_defaults_apply(bare_client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".spillguard.toml").write_text("disable = [\n", encoding="utf-8")
    await start(bare_client, tmp_path)
    uri = (tmp_path / "a.py").as_uri()
    open_doc(bare_client, uri, SOURCE)
    assert len(await diagnostics_for(bare_client, uri, version=1)) == 1
    errors = [m.message for m in bare_client.log_messages if m.type == types.MessageType.Error]
    assert any(".spillguard.toml" in e for e in errors)


async def test_log_level(bare_client: LanguageClient, tmp_path: Path) -> None:
    await start(bare_client, tmp_path, {"logLevel": "debug"})
    uri = (tmp_path / "a.py").as_uri()
    open_doc(bare_client, uri, "x = 1\n")
    await diagnostics_for(bare_client, uri, version=1)
    assert any(m.type == types.MessageType.Log and "opened" in m.message for m in bare_client.log_messages)
    configure(bare_client, {"spillguard": {"logLevel": "warning"}})
    second = (tmp_path / "b.py").as_uri()
    open_doc(bare_client, second, "y = 2\n")
    await diagnostics_for(bare_client, second, version=1)
    assert not any(m.type == types.MessageType.Log and "b.py" in m.message for m in bare_client.log_messages)


async def test_saving_the_project_config_applies_it(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "a.py").as_uri()
    open_doc(client, uri, SOURCE)
    assert len(await diagnostics_for(client, uri, version=1)) == 1
    config = tmp_path / ".spillguard.toml"
    config.write_text('disable = ["github-pat"]\n', encoding="utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config.as_uri())))
    assert await diagnostics_for(client, uri, version=1, until=lambda ds: not ds) == []
