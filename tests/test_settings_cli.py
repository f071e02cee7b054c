"""The settings object (flags over environment over defaults) and the CLI skeleton."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dbod import __version__
from dbod.cli import main
from dbod.settings import DEFAULT_MAPPINGS, DEFAULT_SOURCE, Settings, SettingsError


def test_defaults(tmp_path: Path) -> None:
    settings = Settings.load(env={"XDG_CACHE_HOME": str(tmp_path)})
    assert settings.source == DEFAULT_SOURCE
    assert settings.mappings == DEFAULT_MAPPINGS
    assert settings.cache_dir == tmp_path / "dbod"
    assert settings.lang == "en"
    assert settings.dump_path is None


def test_environment_then_flags(tmp_path: Path) -> None:
    env = {
        "DBOD_SOURCE": "http://127.0.0.1:9/api.php",
        "DBOD_MAPPINGS": str(tmp_path),
        "DBOD_CACHE_DIR": str(tmp_path / "env-cache"),
        "DBOD_LANG": "de",
    }
    from_env = Settings.load(env=env)
    assert from_env.source == "http://127.0.0.1:9/api.php"
    assert from_env.mappings == str(tmp_path)
    assert from_env.cache_dir == tmp_path / "env-cache"
    assert from_env.lang == "de"
    flagged = Settings.load(env=env, source="dump:/data/x.xml.bz2", lang="fr", cache_dir=None)
    assert flagged.dump_path == Path("/data/x.xml.bz2")
    assert flagged.lang == "fr"
    assert flagged.cache_dir == tmp_path / "env-cache"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": "ftp://example.org"}, "source 'ftp://example.org'"),
        ({"source": "dump:"}, "names no file"),
        ({"mappings": "/no/such/dir"}, "mappings '/no/such/dir'"),
        ({"lang": "EN!"}, "lang 'EN!'"),
    ],
)
def test_bad_settings_name_the_setting(changes: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.load(env={}, **changes)


def test_cli_version_and_help() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "dbod.cli", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"dbod {__version__}"
    assert __version__ != "0+unknown", "the package must be installed"
    helptext = subprocess.run(
        [sys.executable, "-m", "dbod.cli", "--help"], capture_output=True, text=True, check=True
    )
    for flag in ("--source", "--mappings", "--cache-dir", "--lang", "DBOD_SOURCE"):
        assert flag in helptext.stdout


def test_cli_rejects_a_bad_setting(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--source", "gopher://x"])
    assert exit_info.value.code == 2
    assert "gopher://x" in capsys.readouterr().err
