from __future__ import annotations

from assistant.agents.audit import AuditLog


def test_each_request_is_recorded_before_sending_and_updated_with_the_outcome() -> None:
    audit = AuditLog()
    first = audit.start(provider="P", base_url="https://p/v1", model="m", sha256="ab" * 32, size=120, redactions=[])
    assert audit.entries()[0].status == "sending"  # a crash mid-request still leaves a record
    audit.finish(first, "completed", prompt_tokens=30, completion_tokens=12)
    second = audit.start(
        provider="P", base_url="https://p/v1", model="m", sha256="cd" * 32, size=99, redactions=["[EMAIL_1]"]
    )
    audit.finish(second, "refused", detail="401")
    audit.close()

    newest, oldest = AuditLog().entries()  # it persists, newest first
    assert (newest.status, newest.detail, newest.redactions) == ("refused", "401", ("[EMAIL_1]",))
    assert (oldest.status, oldest.prompt_tokens, oldest.completion_tokens, oldest.payload_bytes) == (
        "completed",
        30,
        12,
        120,
    )
