"""API keys, through the OS keychain (keyring) only.

A key is never written to a settings file, log, history or index. Where no secure keychain exists (a
headless Linux without Secret Service, or only a plaintext file backend such as ``keyrings.alt``), the
key is kept in this process's memory for this session only and the person is told so.

A cloud provider's key is stored under the provider's origin (``https://api.example.com:443``, see
:func:`key_account`), not its name: changing the provider's address to another origin finds no key, so a
key is never sent to a host it was not saved for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import keyring
import keyring.errors

from assistant.errors import AssistantError

log = logging.getLogger(__name__)

SERVICE = "private-assistant"

# Backends that do not keep a secret safely: they fail, forget, or write plain files.
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class SecretsError(AssistantError):
    """The keychain refused to store or read a key."""


@dataclass(frozen=True)
class SaveResult:
    in_keychain: bool  # False: kept in memory for this session only
    message: str  # what to tell the person


def key_account(base_url: str) -> str:
    """The keychain entry of a provider's key: the origin (scheme://host:port) of its base URL."""
    url = urlsplit(base_url.strip())
    scheme = url.scheme.lower()
    try:
        port = url.port
    except ValueError:
        port = None
    port = port or {"https": 443, "http": 80}.get(scheme)
    host = (url.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}" if host else base_url.strip()


def backend_name(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def is_secure(backend: Any) -> bool:
    """Does this keyring backend keep secrets in a real OS keychain?"""
    name = backend_name(backend)
    if name.startswith(_INSECURE_MODULES):
        return False
    chained = getattr(backend, "backends", None)
    if chained is not None:  # keyring's ChainerBackend: secure only if it chains a secure backend
        return any(is_secure(b) for b in chained)
    priority = getattr(backend, "priority", 0)
    try:
        return float(priority) > 0
    except (TypeError, ValueError):
        return False


class KeyStore:
    """Keys by account (a provider's :func:`key_account`): the OS keychain when there is one, else this
    session's memory."""

    def __init__(self, backend: Any | None = None) -> None:
        self._backend = backend
        self._session: dict[str, str] = {}

    @property
    def backend(self) -> Any:
        return self._backend if self._backend is not None else keyring.get_keyring()

    @property
    def secure(self) -> bool:
        return is_secure(self.backend)

    def save(self, name: str, key: str) -> SaveResult:
        """Store ``key``; read it back from the keychain to be sure it is there."""
        key = key.strip()
        if not key:
            raise SecretsError("The API key is empty. Paste the key your provider gave you.")
        if self.secure:
            try:
                self.backend.set_password(SERVICE, name, key)
                stored = self.backend.get_password(SERVICE, name)
            except keyring.errors.KeyringError as exc:
                log.warning("keychain refused the key for %s: %s", name, type(exc).__name__)
                stored = None
            if stored == key:
                self._session.pop(name, None)
                return SaveResult(True, "The key is saved in your system keychain.")
            log.warning("keychain did not return the saved key for %s; keeping it for this session", name)
        self._session[name] = key
        return SaveResult(
            False,
            "No secure system keychain is available here, so the key is kept in memory for this session "
            "only and is never written to disk. You will need to enter it again after restarting. "
            "To keep it, install and unlock a keychain (Secret Service such as GNOME Keyring or KWallet).",
        )

    def get(self, name: str) -> str | None:
        if name in self._session:
            return self._session[name]
        if not self.secure:
            return None
        try:
            value = self.backend.get_password(SERVICE, name)
        except keyring.errors.KeyringError as exc:
            raise SecretsError(
                f"The system keychain could not be read ({type(exc).__name__}). Unlock your keychain and try again."
            ) from None
        return str(value) if value else None

    def delete(self, name: str) -> None:
        self._session.pop(name, None)
        if not self.secure:
            return
        try:
            self.backend.delete_password(SERVICE, name)
        except keyring.errors.PasswordDeleteError:
            pass  # there was none
        except keyring.errors.KeyringError as exc:
            raise SecretsError(f"The system keychain could not remove the key ({type(exc).__name__}).") from None

    def in_session_only(self, name: str) -> bool:
        return name in self._session
