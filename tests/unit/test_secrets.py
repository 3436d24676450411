"""API keys: the keychain when there is one, this session's memory otherwise, never a file."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail, null

from assistant.config import CloudSettings, Settings, load_settings, save_settings
from assistant.secrets import SERVICE, KeyStore, SecretsError, is_secure
from tests.memory_keyring import MemoryKeyring

CANARY = "sk-canary-" + "7Q2m" * 10


def test_a_key_is_saved_in_the_keychain_and_read_back(memory_keyring: MemoryKeyring) -> None:
    keys = KeyStore()
    result = keys.save("OpenAI", f"  {CANARY}\n")
    assert result.in_keychain and "keychain" in result.message
    assert memory_keyring.passwords[(SERVICE, "OpenAI")] == CANARY
    assert KeyStore().get("OpenAI") == CANARY  # a new process-like store finds it in the keychain
    keys.delete("OpenAI")
    assert keys.get("OpenAI") is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_without_a_secure_keychain_the_key_lives_in_memory_for_this_session(backend: object) -> None:
    keyring.set_keyring(backend)  # type: ignore[arg-type]
    keys = KeyStore()
    assert not keys.secure
    result = keys.save("OpenAI", CANARY)
    assert not result.in_keychain and "this session only" in result.message
    assert keys.get("OpenAI") == CANARY and keys.in_session_only("OpenAI")
    assert KeyStore().get("OpenAI") is None  # gone once the session ends


def test_a_keychain_that_forgets_the_key_is_caught_by_the_read_back() -> None:
    class Forgetful(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            return None

    keys = KeyStore(Forgetful())
    assert not keys.save("P", CANARY).in_keychain
    assert keys.get("P") == CANARY


def test_plaintext_file_backends_are_not_trusted() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    assert not is_secure(PlaintextKeyring())
    assert is_secure(MemoryKeyring())


def test_an_empty_key_is_refused_with_a_clear_message() -> None:
    with pytest.raises(SecretsError, match="empty"):
        KeyStore().save("P", "   ")


def test_the_canary_key_never_reaches_a_file_under_the_data_directory(data_home: Path) -> None:
    keyring.set_keyring(fail.Keyring())  # the worst case: the key stays in memory
    keys = KeyStore()
    keys.save("Provider", CANARY)
    settings = Settings(cloud=CloudSettings(enabled=True, name="Provider", base_url="https://x/v1", model="m"))
    save_settings(settings)
    assert load_settings().cloud.name == "Provider"
    for path in data_home.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
