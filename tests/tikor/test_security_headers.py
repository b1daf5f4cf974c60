"""Login, sessions and headers: every page says what a browser may load and use, and an idle session ends."""

import time

import pytest
from django.urls import reverse

from tests.conftest import client_for


def csp(response):
    return dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))
    )


@pytest.mark.parametrize(("name", "signed_in"), [("masuk", False), ("beranda", True), ("peta", True)])
def test_pages_carry_the_security_headers(client, sekretariat, name, signed_in):
    response = (client_for(client, sekretariat) if signed_in else client).get(reverse(name))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    permissions = response["Permissions-Policy"]
    assert "geolocation=(self)" in permissions
    assert "camera=(self)" in permissions
    assert "microphone=()" in permissions
    assert "payment=()" in permissions


def test_content_security_policy_allows_no_inline_script(client, sekretariat):
    policy = csp(client_for(client, sekretariat).get(reverse("beranda")))

    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["img-src"] == "'self' data: blob:"


def test_public_page_styles_carry_the_nonce_of_their_header(client, db):
    # The public e-warong pages keep their CSS inline (one light page for a cheap phone).
    response = client.get(reverse("publik:lacak"))

    nonce = response.wsgi_request.csp_nonce
    assert f"'nonce-{nonce}'" in csp(response)["style-src"]
    assert f'<style nonce="{nonce}">' in response.content.decode()


def test_map_tiles_are_allowed_only_from_the_configured_tile_server():
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    env = {**os.environ, "PETA_TILE_URL": "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=Path(__file__).resolve().parents[2],
        env={**env, "DJANGO_SETTINGS_MODULE": "tikor.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert "'https://*.tile.openstreetmap.org'" in result.stdout, result.stderr


def test_password_validators_refuse_a_short_common_password(sekretariat):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate_password("12345678", sekretariat)

    assert len(refused.value.messages) >= 3  # too short, too common, only digits


def test_session_idle_longer_than_the_limit_ends_with_a_message_on_the_login_page(
    client, pendamping_gambir, settings, monkeypatch
):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client = client_for(client, pendamping_gambir)
    start = time.time()
    assert client.get(reverse("beranda")).status_code == 200

    monkeypatch.setattr(time, "time", lambda: start + 31 * 60)
    response = client.get(reverse("beranda"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("masuk"))
    assert "Sesi Anda berakhir karena tidak ada aktivitas selama 30 menit" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_session_in_use_stays_open_past_the_idle_limit(client, pendamping_gambir, settings, monkeypatch):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client = client_for(client, pendamping_gambir)
    start = time.time()
    client.get(reverse("beranda"))

    # A request every 20 minutes for an hour: never idle for 30.
    for minutes in (20, 40, 60):
        monkeypatch.setattr(time, "time", lambda minutes=minutes: start + minutes * 60)
        response = client.get(reverse("beranda"))

        assert response.status_code == 200
