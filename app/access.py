"""Who may write: optional OIDC login (``st.login``) configured in ``.streamlit/secrets.toml``.

Without an ``[auth]`` section the app is single-user: ``rsgraph app`` binds
it to 127.0.0.1 and writes are recorded under the local account name. With
one, reading stays open to whoever reaches the app, and every write
(watchlist, judgements, alert reviews) needs a signed-in user — optionally
one named in ``[rsgraph] writers`` — and is audited with that identity.
"""

from __future__ import annotations

import getpass
import ipaddress
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import streamlit as st

__all__ = [
    "SECRETS_FILES",
    "access_panel",
    "auth_configured",
    "auth_in_files",
    "identity",
    "is_loopback",
    "local_user",
    "require_writer",
]

SECRETS_FILES = (Path.home() / ".streamlit" / "secrets.toml", Path(".streamlit") / "secrets.toml")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def auth_in_files(paths: Iterable[Path] = SECRETS_FILES) -> bool:
    """Whether any secrets file configures login (an ``[auth]`` table), read the way Streamlit does."""
    for path in paths:
        try:
            with path.open("rb") as fh:
                if isinstance(tomllib.load(fh).get("auth"), dict):
                    return True
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return False


def _secrets() -> dict[str, Any]:
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # no secrets file: Streamlit raises its own not-found error
        return {}


def auth_configured() -> bool:
    """Whether login is configured (an ``[auth]`` table in the secrets)."""
    return hasattr(_secrets().get("auth"), "keys")


def local_user() -> str:
    try:
        return f"{getpass.getuser()}@localhost"
    except Exception:  # no login name in a container: still say who
        return "local-user@localhost"


def identity() -> str | None:
    """The identity writes are recorded under, or None when login is configured and nobody is signed in."""
    if not auth_configured():
        return local_user()
    user = st.user
    if not user.is_logged_in:
        return None
    for claim in ("email", "preferred_username", "name", "sub"):
        value = user.get(claim)
        if value:
            return str(value)
    return None


def _writers() -> list[str] | None:
    section = _secrets().get("rsgraph") or {}
    writers = section.get("writers") if hasattr(section, "get") else None
    return [str(w).casefold() for w in writers] if writers else None


def require_writer(what: str) -> str | None:
    """The identity allowed to ``what`` (e.g. "add to the watchlist"); otherwise explain and return None."""
    who = identity()
    if who is None:
        st.info(f"Sign in to {what}: writes are recorded with your identity.")
        _login_button(f"login-{what}")
        return None
    allowed = _writers()
    if allowed is not None and who.casefold() not in allowed:
        st.warning(f"{who} may read but not {what}: not listed in [rsgraph] writers.")
        return None
    return who


def _login_button(key: str) -> None:
    if st.button("Sign in", key=key):
        try:
            st.login()
        except Exception as exc:  # Authlib missing or a bad [auth] table: say so
            st.error(f"Sign-in is configured but cannot start: {exc}. Install the extra: pip install 'rsgraph[auth]'.")


def access_panel() -> None:
    """The sidebar line saying who is writing, or that the app is single-user."""
    if not auth_configured():
        st.sidebar.caption(
            f"**Single-user mode.** No login is configured, so the app listens on 127.0.0.1 only; "
            f"changes are recorded as {local_user()}."
        )
        return
    who = identity()
    if who is None:
        st.sidebar.caption("Not signed in: you can read; sign in to change the watchlist or judge links.")
        with st.sidebar:
            _login_button("login-sidebar")
        return
    st.sidebar.caption(f"Signed in as **{who}**; your changes are audited under this identity.")
    if st.sidebar.button("Sign out", key="logout"):
        st.logout()
