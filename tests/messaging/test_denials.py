"""Refused thread access is recorded (issue: "Record at least ... denied access")."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async

from messaging.models import Message
from tests.messaging.conftest import open_socket, receive, send


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_refused_send_is_recorded_in_the_audit_trail_even_though_nothing_is_stored(
    threads, alice, bob
):
    from audit.models import AuditEntry

    sock = await open_socket(alice)
    await send(sock, {"type": "message.send", "thread": threads["bob"].pk, "client_id": str(uuid.uuid4()),
                      "body": "mag niet"})
    assert (await receive(sock))["code"] == "not_found"
    await sock.disconnect()
    entries = await database_sync_to_async(
        lambda: list(AuditEntry.objects.filter(action="families:access:denied", actor=alice)))()
    assert [(e.details["wanted"], e.details["thread"], e.family_id) for e in entries] == [
        ("write_thread", str(threads["bob"].pk), threads["bob"].family_id)]
    assert await database_sync_to_async(Message.objects.filter(thread=threads["bob"]).count)() == 0


@pytest.mark.django_db
def test_opening_another_familys_thread_page_is_a_404_and_is_recorded(threads, charlie, client_for):
    from audit.models import AuditEntry

    response = client_for(charlie).get(f"/gesprek/{threads['parents'].pk}/")
    assert response.status_code == 404
    entry = AuditEntry.objects.get(action="families:access:denied", actor=charlie)
    assert entry.family_id is None and entry.details["family_id"] == threads["parents"].family_id
