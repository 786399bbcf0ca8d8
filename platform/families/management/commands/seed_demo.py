"""Create (or bring back) the demo family. Safe to run any number of times.

    python manage.py seed_demo             # prints the logins
    python manage.py seed_demo --json      # the same, as JSON for scripts
    python manage.py seed_demo --families 50 --json   # 50 extra families for load tests
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from families.models import Child, Family, Membership, Role
from messaging.models import Thread
from messaging.services import threads_ensure_for_family
from parentingplan.services import plan_ensure

DEMO_REFERENCE = "DEMO-0001"
DEMO_FAMILY_NAME = "Familie De Vries – Jansen"
DEMO_USERS = [
    # email, name, password, role, practitioner account
    ("anouk.bakker@example.org", "Anouk Bakker", "Kompas-demo-Anouk-24", Role.COORDINATOR, True),
    ("sanne.devries@example.org", "Sanne de Vries", "Kompas-demo-Sanne-24", Role.PARENT, False),
    ("mark.jansen@example.org", "Mark Jansen", "Kompas-demo-Mark-24", Role.PARENT, False),
]
DEMO_CHILDREN = [("Noor", date(2015, 5, 14)), ("Daan", date(2018, 10, 2))]
LOAD_PASSWORD = "Kompas-load-test-24"


def _user(email: str, name: str, password: str, *, practitioner: bool) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name,
                                                                      "is_practitioner": practitioner})
    if created or not user.check_password(password):
        # Only when needed: a new password would end the demo user's open sessions.
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _family(reference: str, name: str, members: list[tuple[User, str]], children) -> Family:
    family, _ = Family.objects.get_or_create(reference=reference, defaults={"display_name": name})
    for user, role in members:
        if not Membership.objects.active().filter(user=user, family=family).exists():
            Membership.objects.create(user=user, family=family, role=role)
    for first_name, birth_date in children:
        Child.objects.get_or_create(family=family, first_name=first_name, defaults={"birth_date": birth_date})
    threads_ensure_for_family(family=family)
    plan_ensure(family=family)
    return family


def _threads(family: Family) -> list[dict]:
    return [
        {"id": t.pk, "kind": t.kind, **({"owner": t.owner.email} if t.owner_id else {})}
        for t in Thread.objects.filter(family=family).select_related("owner").order_by("pk")
    ]


def _describe(family: Family, users: list[tuple[User, str, str]]) -> dict:
    return {
        "id": family.pk,
        "reference": family.reference,
        "users": [{"id": u.pk, "email": u.email, "password": pw, "role": role} for u, pw, role in users],
        "children": [{"first_name": c.first_name, "birth_date": c.birth_date.isoformat()} for c in family.children.all()],
        "threads": _threads(family),
    }


class Command(BaseCommand):
    help = "Create the demo family (idempotent) and print its logins."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the result as JSON.")
        parser.add_argument("--families", type=int, default=0, help="Also create N load-test families.")

    def handle(self, *args, as_json: bool = False, families: int = 0, **options):
        if families < 0 or families > 10_000:
            raise CommandError("--families must be between 0 and 10000")
        with transaction.atomic():
            demo_users = [(_user(e, n, p, practitioner=pr), p, r) for e, n, p, r, pr in DEMO_USERS]
            demo = _family(DEMO_REFERENCE, DEMO_FAMILY_NAME, [(u, r) for u, _p, r in demo_users], DEMO_CHILDREN)
            load = []
            if families:
                coach = _user("load-coach@example.org", "Load Coach", LOAD_PASSWORD, practitioner=True)
                for i in range(1, families + 1):
                    parents = [
                        _user(f"load-{i:05d}-{side}@example.org", f"Ouder {side.upper()} {i}", LOAD_PASSWORD,
                              practitioner=False)
                        for side in ("a", "b")
                    ]
                    members = [(coach, Role.COORDINATOR)] + [(p, Role.PARENT) for p in parents]
                    family = _family(f"LOAD-{i:05d}", f"Testgezin {i}", members, [])
                    load.append(_describe(family, [(p, LOAD_PASSWORD, Role.PARENT) for p in parents]))
        described = _describe(demo, demo_users)
        result = {
            "family": {"id": described["id"], "reference": described["reference"]},
            "users": [{k: v for k, v in u.items() if k != "id"} for u in described["users"]],
            "children": described["children"],
            "threads": described["threads"],
            "plan": {"id": demo.plan.pk},
        }
        if families:
            result["families"] = load
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(self.style.SUCCESS(f"Demo family: {DEMO_FAMILY_NAME} ({DEMO_REFERENCE})"))
        self.stdout.write("Log in at http://127.0.0.1:8000 with one of these (you set up the second factor"
                          " with an authenticator app on first login):")
        for user in result["users"]:
            self.stdout.write(f"  {user['role']:<12} {user['email']:<28} {user['password']}")
        if families:
            self.stdout.write(f"Load-test families: {families} (password {LOAD_PASSWORD})")
