"""Create (or bring back) the demo family. Safe to run any number of times.

    python manage.py seed_demo             # prints the logins
    python manage.py seed_demo --json      # the same, as JSON for scripts
    python manage.py seed_demo --families 50 --json   # 50 extra families for load tests

Everything is made through the services, as a person would make it: the demo's professional opens
the family (families.services.family_create: its threads and plan come with it), invites each parent,
a second professional (a child advocate, not the coordinator) and a grandmother (a relative), each
invitation accepted at once, then adds the children, and shares the plan's section on new partners
and grandparents with relatives (so the grandmother sees what her narrow role shows). So the demo
has the audit entries a real family has. The professional's account itself is the one thing a
beheerder makes by hand (no service makes accounts for professionals), allowed to open cases.

The demo family has a PAT trajectory under way (trajectories.services): started four months ago by
the coordinator, the talks before today marked held, so the first three-monthly evaluation is
behind it and the second period runs.

A second run finds everything in place and changes nothing; what is missing or was changed (an
ended membership, another role, a missing child, another password) is brought back the same way.
"""

from __future__ import annotations

import json
from datetime import date, time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from families import services
from families.models import Family, Membership, Role
from messaging.models import Thread
from parentingplan import services as plan_services
from parentingplan.models import Section
from trajectories import services as trajectory_services
from trajectories.models import Talk, Trajectory
from trajectories.planning import add_months

DEMO_REFERENCE = "DEMO-0001"
DEMO_FAMILY_NAME = "Familie De Vries – Jansen"
DEMO_COORDINATOR = ("anouk.bakker@example.org", "Anouk Bakker", "Kompas-demo-Anouk-24")
DEMO_PARENTS = [
    ("sanne.devries@example.org", "Sanne de Vries", "Kompas-demo-Sanne-24"),
    ("mark.jansen@example.org", "Mark Jansen", "Kompas-demo-Mark-24"),
]
# A second practitioner who does not coordinate (a child advocate), and the mother of one parent.
DEMO_PRACTITIONER = ("joris.smit@example.org", "Joris Smit", "Kompas-demo-Joris-24")
DEMO_RELATIVE = ("ria.devries@example.org", "Ria de Vries", "Kompas-demo-Ria-24")
DEMO_CHILDREN = [("Noor", date(2015, 5, 14)), ("Daan", date(2018, 10, 2))]
DEMO_SHARED_SECTION = "relations"  # "Nieuwe partners en grootouders", shared with relatives
# Who each demo login is, for the printed list.
DEMO_WHO = {
    DEMO_COORDINATOR[0]: "coordinating practitioner",
    DEMO_PARENTS[0][0]: "parent",
    DEMO_PARENTS[1][0]: "parent",
    DEMO_PRACTITIONER[0]: "practitioner (child advocate), not coordinating",
    DEMO_RELATIVE[0]: "relative: Sanne's mother, the children's grandmother",
}
LOAD_COACH = ("load-coach@example.org", "Load Coach")
LOAD_PASSWORD = "Kompas-load-test-24"  # noqa: S105 - the demo's printed load-test login, not a secret


def _password(user: User, password: str) -> None:
    if not user.check_password(password):
        # Only when needed: a new password ends the demo user's open sessions.
        user.set_password(password)
        user.save(update_fields=["password"])


def _professional(email: str, name: str, password: str) -> User:
    """An account allowed to open cases, as a beheerder makes it in the admin."""
    user, _created = User.objects.get_or_create(email=email,
                                                 defaults={"display_name": name, "may_open_cases": True})
    if not user.may_open_cases:
        User.objects.filter(pk=user.pk).update(may_open_cases=True)
        user.may_open_cases = True
    _password(user, password)
    return user


def _member(family: Family, coordinator: User, email: str, name: str, password: str, role: str) -> User:
    """`email` is an active member of `family` with `role`: invited by the coordinator and accepted
    (with a new account when there is none), or given the role back."""
    user = User.objects.filter(email__iexact=email).first()
    membership = Membership.objects.active().filter(family=family, user=user).first() if user else None
    if membership is None:
        _invitation, token = services.invitation_create(actor=coordinator, family_id=family.pk, email=email,
                                                        role=role)
        if user is None:
            user = services.invitation_accept_new_user(token=token, display_name=name, password=password)
        else:
            services.invitation_accept_existing(token=token, user=user)
    elif membership.role != role:
        services.membership_role_change(actor=coordinator, family_id=family.pk, membership_id=membership.pk,
                                        role=role)
    _password(user, password)
    return user


def _family(reference: str, name: str, coordinator: User, parents, children) -> tuple[Family, list[User]]:
    family = Family.objects.filter(reference=reference).first()
    if family is None:
        family = services.family_create(actor=coordinator, display_name=name, reference=reference)
    elif not Membership.objects.active().filter(family=family, user=coordinator,
                                                role=Role.COORDINATOR).exists():
        raise CommandError(f"{reference} exists, but {coordinator.email} no longer coordinates it: "
                           "start from an empty database.")
    users = [_member(family, coordinator, email, person, password, Role.PARENT)
             for email, person, password in parents]
    present = set(family.children.values_list("first_name", flat=True))
    for first_name, birth_date in children:
        if first_name not in present:
            services.child_add(actor=coordinator, family_id=family.pk, first_name=first_name,
                               birth_date=birth_date)
    return family, users


def _share_with_relatives(family: Family, coordinator: User, key: str) -> None:
    section = Section.objects.filter(plan=family.plan, key=key).first()
    if section is not None and not section.shared_with_relatives:
        plan_services.section_manage(user=coordinator, plan_id=family.plan.pk, section_id=section.pk,
                                     shared=True)


DEMO_TRAJECTORY_TYPE = "pat"
DEMO_TRAJECTORY_MONTHS_AGO = 4


def _trajectory(family: Family, coordinator: User) -> Trajectory:
    """The demo family's running trajectory: a PAT trajectory started four months ago, its talks
    before now marked held, as the coordinator would have done. Kept when one is running."""
    running = Trajectory.objects.filter(family=family, status=Trajectory.Status.ACTIVE).first()
    if running is not None:
        return running
    started_on = add_months(timezone.localdate(), -DEMO_TRAJECTORY_MONTHS_AGO)
    trajectory = trajectory_services.trajectory_start(
        actor=coordinator, family_id=family.pk, type_key=DEMO_TRAJECTORY_TYPE, started_on=started_on,
        at=time(10, 0), region="middle")
    now = timezone.now()
    for talk in Talk.objects.filter(trajectory=trajectory, status=Talk.Status.PLANNED).order_by("starts_at"):
        if talk.ends_at < now:
            trajectory_services.talk_hold(actor=coordinator, family_id=family.pk, talk_id=talk.pk)
    return trajectory


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
        "children": [{"first_name": c.first_name, "birth_date": c.birth_date.isoformat()}
                     for c in family.children.all()],
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
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            coordinator = _professional(*DEMO_COORDINATOR)
            demo, parents = _family(DEMO_REFERENCE, DEMO_FAMILY_NAME, coordinator, DEMO_PARENTS,
                                    DEMO_CHILDREN)
            others = [(_member(demo, coordinator, *person, role), person[2], role)
                      for person, role in ((DEMO_PRACTITIONER, Role.PRACTITIONER),
                                           (DEMO_RELATIVE, Role.RELATIVE))]
            _share_with_relatives(demo, coordinator, DEMO_SHARED_SECTION)
            trajectory = _trajectory(demo, coordinator)
            demo_users = [(coordinator, DEMO_COORDINATOR[2], Role.COORDINATOR)] + [
                (user, password, Role.PARENT)
                for user, (_email, _name, password) in zip(parents, DEMO_PARENTS, strict=True)
            ] + others
            load = []
            if families:
                coach = _professional(*LOAD_COACH, LOAD_PASSWORD)
                for i in range(1, families + 1):
                    people = [(f"load-{i:05d}-{side}@example.org", f"Ouder {side.upper()} {i}", LOAD_PASSWORD)
                              for side in ("a", "b")]
                    family, users = _family(f"LOAD-{i:05d}", f"Testgezin {i}", coach, people, [])
                    load.append(_describe(family, [(u, LOAD_PASSWORD, Role.PARENT) for u in users]))
        described = _describe(demo, demo_users)
        result = {
            "family": {"id": described["id"], "reference": described["reference"]},
            "users": [{k: v for k, v in u.items() if k != "id"} for u in described["users"]],
            "children": described["children"],
            "threads": described["threads"],
            "plan": {"id": demo.plan.pk},
            "trajectory": {"id": trajectory.pk, "type": trajectory.type_key},
        }
        if families:
            result["families"] = load
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(self.style.SUCCESS(f"Demo family: {DEMO_FAMILY_NAME} ({DEMO_REFERENCE})"))
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(
            "The first login of each account needs an authenticator app on your phone"))
        self.stdout.write(
            "(Google Authenticator, Microsoft Authenticator, FreeOTP or any TOTP app): after the\n"
            "password you scan the QR code with that app (or type the key into it), enter the six-digit\n"
            "code it shows and keep the backup codes. Later logins ask for a code from the same app.\n"
            "E-mails the demo sends (invitations, notices) are printed in this terminal.")
        self.stdout.write("")
        self.stdout.write(f"Trajectory under way: {trajectory.type_key} (/gezin/{demo.pk}/traject/)")
        self.stdout.write("")
        self.stdout.write("Log in at http://127.0.0.1:8000 with one of these:")
        for user in result["users"]:
            who = DEMO_WHO.get(user["email"], "")
            self.stdout.write(f"  {user['email']:<28} {user['password']:<22} {who}")
        if families:
            self.stdout.write(f"Load-test families: {families} (password {LOAD_PASSWORD})")
