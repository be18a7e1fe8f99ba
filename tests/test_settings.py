"""Settings load from env/config, hide secrets, and are all documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.settings import SECRET_FIELDS, load_settings, settings_table
from tests.conftest import REPO


def test_environment_overrides_config_file_overrides_defaults(tmp_path: Path) -> None:
    config = tmp_path / "rsgraph.toml"
    config.write_text('store = "from-file.db"\nhttp_timeout = 12\nlog_level = "DEBUG"\n')
    s = load_settings(env={"RSGRAPH_CONFIG": str(config), "RSGRAPH_STORE": "from-env.db"})
    assert s.store == "from-env.db"
    assert s.http_timeout == 12.0
    assert s.log_level == "DEBUG"
    assert load_settings(env={}, store="cli.db").store == "cli.db"
    assert load_settings(env={}).store == "rsgraph.db"


def test_unknown_config_key_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "rsgraph.toml"
    config.write_text('stroe = "typo.db"\n')
    with pytest.raises(ValueError, match="unknown settings \\['stroe'\\]"):
        load_settings(env={"RSGRAPH_CONFIG": str(config)})


def test_secrets_never_appear_in_repr() -> None:
    s = load_settings(env={"RSGRAPH_NEO4J_PASSWORD": "hunter2-secret", "RSGRAPH_OPENALEX_API_KEY": "key-secret"})
    assert s.neo4j_password == "hunter2-secret"
    assert "secret" not in repr(s)
    assert {"neo4j_password", "openalex_api_key"} <= SECRET_FIELDS


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in readme.splitlines() if line.startswith("| `RSGRAPH_")}
    missing = [env for env, _default, _help in settings_table() if f"`{env}`" not in rows]
    assert missing == []
    for env, _default, help_text in settings_table():
        assert help_text in rows[f"`{env}`"], f"README row for {env} does not carry its help text"
