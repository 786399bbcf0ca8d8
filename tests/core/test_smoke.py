import pytest

from tests.conftest import totp_now


@pytest.mark.django_db
def test_a_verified_parent_sees_their_family_page(alice, family, client_for):
    response = client_for(alice).get("/", follow=True)
    assert response.status_code == 200
    assert family.display_name in response.content.decode()


@pytest.mark.django_db
def test_the_code_helper_matches_what_the_device_accepts(alice):
    device = alice.totpdevice_set.get()
    assert device.verify_token(totp_now(device))
