"""The access log page: who did what in a family, and when, for the people concerned."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from audit import actions
from audit.models import AuditEntry
from audit.services import audit_record
from families import services

pytestmark = pytest.mark.django_db


def _log_url(family) -> str:
    return reverse("families:access_log", args=[family.pk])


@pytest.fixture
def child_added_by_pim(pim, family):
    return services.child_add(
        actor=pim, family_id=family.pk, first_name="Lotte", birth_date=timezone.localdate()
    )


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "pim"])
def test_parents_and_practitioners_see_who_did_what_and_when(
    request, family, child_added_by_pim, client_for, who
):
    response = client_for(request.getfixturevalue(who)).get(_log_url(family))

    body = response.content.decode()
    entry = AuditEntry.objects.get(action=actions.CHILD_ADDED)
    assert response.status_code == 200
    assert "Pim Professional" in body
    assert "voegde een kind toe" in body
    local = timezone.localtime(entry.at)
    shown = formats.date_format(local, "DATETIME_FORMAT")
    assert f'<time datetime="{local.isoformat()}">{shown}</time>' in body


def test_an_outsider_gets_not_found_and_sees_nothing(charlie, family, child_added_by_pim, client_for):
    response = client_for(charlie).get(_log_url(family))
    body = response.content.decode()
    assert response.status_code == 404
    assert "Pim Professional" not in body
    assert family.display_name not in body


def test_a_relative_may_not_see_the_log(rita, family, child_added_by_pim, client_for):
    response = client_for(rita).get(_log_url(family))
    assert response.status_code == 403
    assert "Pim Professional" not in response.content.decode()


def test_viewing_the_log_is_itself_recorded(alice, family, client_for):
    client = client_for(alice)
    client.get(_log_url(family))

    entry = AuditEntry.objects.get(action=actions.ACCESS_LOG_VIEWED)
    assert (entry.actor, entry.acting_role, entry.family) == (alice, "parent", family)
    assert entry.result == AuditEntry.Result.ALLOWED
    # The next visitor sees that Alice looked.
    assert "bekeek het logboek" in client.get(_log_url(family)).content.decode()


def test_the_log_shows_only_this_familys_entries(alice, charlie, family, other_family, client_for):
    audit_record(action=actions.CHILD_ADDED, actor=charlie, acting_role="parent", family=other_family)
    body = client_for(alice).get(_log_url(family)).content.decode()
    assert "Charlie Buitenstaander" not in body


def test_a_refused_attempt_by_a_member_shows_as_refused(rita, alice, family, client_for):
    client_for(rita).get(reverse("families:invite", args=[family.pk]))
    body = client_for(alice).get(_log_url(family)).content.decode()
    assert "Rita Oma" in body
    assert "kreeg geen toegang" in body
    assert "geweigerd" in body


def test_the_newest_entry_comes_first(alice, pim, family, client_for):
    services.child_add(actor=pim, family_id=family.pk, first_name="Eerste", birth_date=timezone.localdate())
    audit_record(action=actions.FAMILY_VIEWED, actor=pim, acting_role="practitioner", family=family)
    body = client_for(alice).get(_log_url(family)).content.decode()
    assert body.index("bekeek de gezinsgegevens") < body.index("voegde een kind toe")


def test_the_log_has_one_name_on_the_link_the_title_and_the_heading(alice, family, client_for):
    client = client_for(alice)
    detail = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    page = client.get(_log_url(family)).content.decode()
    assert "Logboek: wie heeft wat bekeken of gedaan</a>" in detail
    assert "<title>Logboek" in page
    assert "<h1>Logboek</h1>" in page
