"""/favicon.ico, which every browser asks for, is served (WhiteNoise's WHITENOISE_ROOT), and every
page points to the icons."""

from __future__ import annotations

import pytest
from django.urls import reverse


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_favicon_ico_is_an_icon_served_to_anyone(anon_client):
    response = anon_client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert _body(response)[:4] == b"\x00\x00\x01\x00"  # the ICO file header


def test_the_svg_icon_is_a_static_file(anon_client):
    response = anon_client.get("/static/icons/favicon.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in _body(response)


@pytest.mark.django_db
def test_every_page_links_the_icons(anon_client):
    body = anon_client.get(reverse("accounts:login")).content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in body
    assert 'href="/static/icons/favicon.svg" type="image/svg+xml"' in body
