import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every persona gets a password; Argon2's deliberate slowness would only cost test time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
