"""The local server's API key: given for this run, or kept in the OS keychain (made once, at random)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from assistant.errors import AssistantError
from assistant.secrets import KeyStore

ACCOUNT = "local-server"  # the keychain entry (service "private-assistant")
ENVIRONMENT = "PRIVATE_ASSISTANT_API_KEY"
MIN_LENGTH = 16


@dataclass(frozen=True)
class ServerKey:
    value: str
    origin: str  # "given", "environment", "keychain", "new", "session" (new, not kept after this run)


def new_key() -> str:
    return "pa-" + secrets.token_urlsafe(32)


def checked(key: str) -> str:
    key = key.strip()
    if len(key) < MIN_LENGTH or any(c.isspace() for c in key):
        raise AssistantError(
            f"The server key must be at least {MIN_LENGTH} characters with no spaces, so that it cannot be guessed."
        )
    return key


def server_key(given: str | None = None, store: KeyStore | None = None) -> ServerKey:
    """The key for this run: ``given`` (``serve --key``), else the environment variable, else the keychain's
    (a new one is made and saved there the first time)."""
    if given:
        return ServerKey(checked(given), "given")
    if os.environ.get(ENVIRONMENT):
        return ServerKey(checked(os.environ[ENVIRONMENT]), "environment")
    store = store or KeyStore()
    saved = store.get(ACCOUNT)
    if saved:
        return ServerKey(saved, "keychain")
    return new_saved_key(store)


def new_saved_key(store: KeyStore) -> ServerKey:
    """A fresh key, saved in the keychain (replacing the old one, which stops working)."""
    key = new_key()
    result = store.save(ACCOUNT, key)
    return ServerKey(key, "new" if result.in_keychain else "session")
