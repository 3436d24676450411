"""The local server's key: made once and kept in the keychain, or given for one run."""

from __future__ import annotations

import pytest

from assistant.errors import AssistantError
from assistant.secrets import KeyStore
from assistant.server.keys import ACCOUNT, ENVIRONMENT, new_saved_key, server_key
from tests.memory_keyring import MemoryKeyring


def test_the_first_run_makes_a_key_keeps_it_in_the_keychain_and_reuses_it(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    first = server_key()
    assert first.origin == "new" and len(first.value) >= 32
    assert memory_keyring.passwords[("private-assistant", ACCOUNT)] == first.value
    again = server_key()
    assert (again.value, again.origin) == (first.value, "keychain")
    renewed = new_saved_key(KeyStore())
    assert renewed.value != first.value and server_key().value == renewed.value


def test_a_given_key_or_the_environment_wins_and_a_weak_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT, "from-the-environment-123")
    assert server_key().value == "from-the-environment-123"
    assert server_key("given-on-the-command-line").origin == "given"
    with pytest.raises(AssistantError, match="at least 16"):
        server_key("short")
