"""Prepare the benchmark's dedicated database: migrate, seed, and make verified sessions.

Run with the server's environment (the same DATABASE_URL and SECRET_KEY as the Daphne process):

    python tests/perf/prepare_db.py FAMILIES > prepared.json
    python tests/perf/prepare_db.py FAMILIES --moderated > prepared.json

1. `manage.py migrate`;
2. `manage.py seed_demo --families FAMILIES --json` (with a fast password hasher for this step
   only: Argon2 takes a quarter of a second per user here, and no benchmark socket logs in
   with a password);
3. for each load-test parent, a confirmed TOTP device (if it has none) and a session exactly
   like the one the login views leave (auth keys, the verified device's persistent id, login
   and last-seen times), so the WebSocket handshake (core.ws) accepts it without anyone typing
   a code;
4. with --moderated: every load-test family is put in moderated contact by its coordinating
   practitioner (the seeded load coach, through moderation.services.contact_mode_change, as the
   family page does), and the coach gets a session too ("coach": {"id", "session"}).

Prints {"families": [{"id", "thread", "users": [id, id]}...], "sessions": {"<user id>": key}}.
Refuses to touch a database whose name does not contain "perf".
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for source_root in (ROOT / "platform", ROOT):
    if str(source_root) not in sys.path:
        sys.path.insert(0, str(source_root))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def make_sessions(user_ids: list[int]) -> dict[str, str]:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.db import transaction
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.sessions import session_started

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    result = {}
    with transaction.atomic():
        users = list(get_user_model().objects.filter(pk__in=user_ids, is_active=True))
        devices = {d.user_id: d for d in TOTPDevice.objects.filter(user__in=users, confirmed=True)}
        for user in users:
            device = devices.get(user.pk) or TOTPDevice.objects.create(user=user, name="perf", confirmed=True)
            session = store_class()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session_started(session)
            session.create()
            result[str(user.pk)] = session.session_key
    return result


def moderate(family_ids: list[int]) -> int:
    """Moderated contact for every family, set by their coordinator; the coordinator's user id."""
    from django.contrib.auth import get_user_model

    from families.models import Membership, Role
    from moderation.services import contact_mode_change

    coordinators = dict(Membership.objects.active().filter(family_id__in=family_ids, role=Role.COORDINATOR)
                        .values_list("family_id", "user_id"))
    if set(coordinators) != set(family_ids) or len(set(coordinators.values())) != 1:
        raise SystemExit("the load-test families must share one coordinator (seed_demo's load coach)")
    coach = get_user_model().objects.get(pk=next(iter(coordinators.values())))
    for family_id in family_ids:
        contact_mode_change(actor=coach, family_id=family_id, mode="moderated", reason="Belastingtest")
    return coach.pk


def main() -> int:
    families = int(sys.argv[1])
    moderated = "--moderated" in sys.argv[2:]
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    if "perf" not in str(settings.DATABASES["default"]["NAME"]):
        print("refusing: the database name must contain 'perf'", file=sys.stderr)
        return 2
    call_command("migrate", interactive=False, verbosity=0)
    out = io.StringIO()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", families=families, as_json=True, stdout=out)
    seeded = json.loads(out.getvalue())
    prepared = []
    for family in seeded["families"]:
        parents = [u["id"] for u in family["users"] if u["role"] == "parent"]
        thread = next(t["id"] for t in family["threads"] if t["kind"] == "parents")
        prepared.append({"id": family["id"], "thread": thread, "users": parents})
    coach = moderate([f["id"] for f in prepared]) if moderated else None
    sessions = make_sessions([uid for f in prepared for uid in f["users"]] + ([coach] if coach else []))
    missing = {str(uid) for f in prepared for uid in f["users"]} - set(sessions)
    if missing:
        print(f"no active user for ids {sorted(missing)[:10]}", file=sys.stderr)
        return 1
    out = {"families": prepared, "sessions": sessions}
    if coach:
        out["coach"] = {"id": coach, "session": sessions[str(coach)]}
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
