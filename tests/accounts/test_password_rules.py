"""Password rules: the other parent knows your name and your e-mail address."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import User

pytestmark = pytest.mark.django_db


def _errors(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize(
    "password",
    ["Anouk2024!!!", "bakker-en-zo-verder", "ANOUKBAKKER", "xx-ánouk-xx-12", "mijn.a.bakker.mail"],
)
def test_a_password_with_the_parents_own_name_is_refused(password):
    user = User(email="a.bakker@example.nl", display_name="Anouk Bakker")
    with translation.override("nl"):
        errors = _errors(password, user)
    assert "Je wachtwoord bevat je naam of je e-mailadres. Kies een wachtwoord zonder je naam." in errors


def test_a_password_without_the_name_passes():
    user = User(email="a.bakker@example.nl", display_name="Anouk Bakker")
    assert _errors("zonnige-fiets-op-de-dijk", user) == []


def test_a_short_name_counts_only_as_a_word_of_its_own():
    user = User(email="e.smit@example.nl", display_name="Eva Smit")
    assert _errors("evaluatie-van-de-zomer", user) == []
    assert _errors("hallo eva 2024 zomer", user) != []


def test_django_messages_speak_dutch_with_je():
    user = User(email="a.bakker@example.nl", display_name="Anouk Bakker")
    with translation.override("nl"):
        errors = _errors("kort1", user)
    assert "Dit wachtwoord is te kort. Kies er een van minstens 10 tekens." in errors
    assert not any("Uw " in e or " u " in e for e in errors)


def test_django_messages_in_english():
    user = User(email="a.bakker@example.nl", display_name="Anouk Bakker")
    with translation.override("en"):
        errors = _errors("kort1", user)
    assert "This password is too short. It must contain at least 10 characters." in errors
