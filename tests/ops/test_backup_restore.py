"""The backup in docs/OPERATIONS.md restores: tools/backup_restore_check.sh against the test
database on the local PostgreSQL (pg_dump -Fc, pg_restore into a fresh database, row counts,
manage.py verify_records on the restored copy), and it fails when the restored records do not
verify or do not match the backup's counts."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
from django.db import connection

from families.models import Role
from messaging import services
from messaging.models import Message, Thread
from tests.factories import FamilyFactory, MembershipFactory, UserFactory
from tests.processes import REPO_ROOT, require_postgresql, server_database_url

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = REPO_ROOT / "tools" / "backup_restore_check.sh"


@pytest.fixture
def conversation():
    """A family whose parents wrote three messages to each other, stored by the service."""
    require_postgresql("pg_dump and pg_restore")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        pytest.skip("needs the PostgreSQL client tools (pg_dump, pg_restore, psql)")
    family = FamilyFactory(reference="T-BACKUP")
    alice, bob = UserFactory(email="alice@example.org"), UserFactory(email="bob@example.org")
    for parent in (alice, bob):
        MembershipFactory(user=parent, family=family, role=Role.PARENT)
    services.threads_ensure_for_family(family=family)
    thread = Thread.objects.get(family=family, kind="parents")
    for sender, body in ((alice, "Zoë slaapt vrijdag bij jou"), (bob, "Prima"), (alice, "Dank je 🙂")):
        services.message_send(sender=sender, thread_id=thread.pk, body=body, client_id=uuid.uuid4())
    thread.refresh_from_db()
    return thread


def check(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": server_database_url()}
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(SCRIPT), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )


def scratch_databases() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'kompas_restore_check_%%'")
        return [name for (name,) in cursor.fetchall()]


def test_a_nightly_backup_restores_with_every_row_and_every_chain_intact(conversation, tmp_path):
    before = scratch_databases()
    result = check("--keep", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "row counts match: " in result.stdout
    assert f"thread {conversation.pk}: ok, 3 messages, head {conversation.head_hash}" in result.stdout
    assert "all chains verified" in result.stdout

    (dump,) = tmp_path.glob("kompas-*.dump")
    counts = dict(line.split("=") for line in dump.with_name(dump.name + ".counts").read_text().split())
    assert counts["messaging_message"] == str(Message.objects.count()) == "3"
    assert counts["families_membership"] == "2"
    assert scratch_databases() == before  # the scratch copy is gone


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def test_a_restore_drill_fails_on_altered_records_and_on_missing_rows(conversation, tmp_path):
    # The body of message 2 changed behind the service's back (its ciphertext column may be
    # updated, for key rotation), and the backup holds one message fewer than counted with it.
    Message.objects.filter(thread=conversation, seq=2).update(body="Nee, dat gaat niet door")
    dump = tmp_path / "kompas-old.dump"
    subprocess.run(["pg_dump", "-Fc", "-d", server_database_url(), "-f", str(dump)], check=True)  # noqa: S603, S607
    claimed = {**row_counts(), "messaging_message": 4}
    lines = [f"{table}={count}\n" for table, count in sorted(claimed.items())]
    dump.with_name(dump.name + ".counts").write_text("".join(lines))

    result = check("--from", str(dump))
    assert result.returncode != 0
    assert "ROW COUNTS DIFFER" in result.stderr
    assert "-messaging_message=4\n+messaging_message=3\n" in result.stdout
    assert f"thread {conversation.pk}: BROKEN at seq 2" in result.stdout
