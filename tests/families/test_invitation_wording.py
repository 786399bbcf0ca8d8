"""An invitation says the right thing to each person: a parent, a relative (a grandparent, a new
partner), a professional. The e-mail and the page behind its link name the family and who invited
them, and tell a relative honestly how little they will see."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from families import services
from families.models import Family, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(family, mailoutbox, django_capture_on_commit_callbacks):
    """sent(actor, role, email) -> (the e-mail, the path of its link)."""

    def send(actor, role, email="nieuw@example.org", language="nl"):
        with translation.override(language), django_capture_on_commit_callbacks(execute=True):
            services.invitation_send(actor=actor, family_id=family.pk, email=email, role=role)
        mail = mailoutbox[-1]
        return mail, re.search(r"(/uitnodiging/[^/\s]+/)", mail.body).group(1)

    return send


def test_a_parent_is_invited_as_a_parent_of_the_named_family(pim, family, sent):
    mail, _link = sent(pim, Role.PARENT)

    assert mail.subject == "Pim Professional nodigt je uit voor Familie Alice en Bob op Kompas"
    assert "Pim Professional, begeleider van Familie Alice en Bob, nodigt je uit voor Kompas, als ouder." \
        in mail.body
    assert "berichten aan de andere ouder" in mail.body
    assert "Je begeleider leest mee" in mail.body
    assert "authenticator-app" in mail.body
    assert "http://" in mail.body  # a link that works from a mail program


def test_a_relative_is_told_they_see_only_what_is_shared_and_not_the_parents_messages(pim, family, sent):
    mail, _link = sent(pim, Role.RELATIVE, email="oma@example.org")

    assert mail.subject == "Pim Professional nodigt je uit als familielid bij Familie Alice en Bob op Kompas"
    assert "als familielid (bijvoorbeeld als grootouder of als nieuwe partner" in mail.body
    assert "De berichten tussen de ouders zie je niet." in mail.body
    assert "Familie Alice en Bob" in mail.body
    # Not the parents' promises: a relative does not message the other parent or work on the plan.
    assert "andere ouder" not in mail.body
    assert "samen aan het ouderschapsplan" not in mail.body


def test_a_professional_is_invited_by_the_coordinator_into_the_case_by_its_reference(carol, family, sent):
    mail, _link = sent(carol, Role.PRACTITIONER, email="collega@example.org")

    assert mail.subject == ("Carol Coördinator nodigt je uit als begeleider bij Familie Alice en Bob "
                            "op Kompas")
    assert ("Carol Coördinator, coördinerend begeleider van Familie Alice en Bob (dossier T-ALICE), "
            "nodigt je uit voor Kompas, als begeleider in dit dossier.") in mail.body
    assert "Carol Coördinator blijft de coördinerend begeleider" in mail.body
    assert "professional" not in mail.body and "familielid" not in mail.body


def test_the_mail_is_in_the_inviters_language(pim, sent):
    mail, _link = sent(pim, Role.RELATIVE, language="en")
    assert mail.subject == "Pim Professional invites you as a relative of Familie Alice en Bob on Kompas"
    assert "You will not see the messages between the parents." in mail.body
    assert "nodigt" not in mail.body


@pytest.mark.parametrize(("role", "says", "not_says"), [
    (Role.PARENT, "Pim Professional, begeleider van Familie Alice en Bob, nodigt je uit als ouder.",
     "De berichten tussen de ouders zie je niet."),
    (Role.RELATIVE, "Pim Professional, begeleider van Familie Alice en Bob, nodigt je uit als familielid",
     "berichten aan de andere ouder"),
])
def test_the_page_behind_the_link_names_the_family_the_inviter_and_the_role(
    pim, anon_client, sent, role, says, not_says
):
    _mail, link = sent(pim, role)
    body = anon_client.get(link).content.decode()
    assert "Uitnodiging voor Familie Alice en Bob" in body
    assert says in body
    assert not_says not in body
    assert "authenticator-app" in body


def test_the_page_for_a_professional_names_the_case_and_its_coordinator(carol, anon_client, sent):
    _mail, link = sent(carol, Role.PRACTITIONER, email="collega@example.org")
    body = anon_client.get(link).content.decode()
    assert "Carol Coördinator, coördinerend begeleider van Familie Alice en Bob (dossier T-ALICE)" in body


def test_someone_with_an_account_sees_the_same_words_before_accepting(pim, charlie, client_for, sent):
    _mail, link = sent(pim, Role.RELATIVE, email=charlie.email)
    body = client_for(charlie).get(link).content.decode()
    assert "nodigt je uit als familielid" in body
    assert "Accepteren" in body


def test_the_family_name_is_escaped_on_the_page(pim, family, anon_client, sent):
    Family.objects.filter(pk=family.pk).update(display_name="<script>alert(1)</script> Familie")
    _mail, link = sent(pim, Role.PARENT)
    body = anon_client.get(link).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Familie" in body
