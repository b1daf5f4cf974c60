"""Operators read the health of each part on its own; a user hit by an unexpected error gets an incident number
that the log files the traceback under."""

import logging
import re

import pytest
from django.urls import path, reverse

from tests.conftest import client_for
from tests.factories import UserFactory
from tikor.models import Role

pytestmark = pytest.mark.django_db


def broken(request):
    raise ZeroDivisionError("division by zero")


urlpatterns = [path("rusak/", broken)]


def test_an_unexpected_page_error_shows_an_incident_number_the_log_holds(client, settings, caplog):
    settings.DEBUG, settings.ROOT_URLCONF = False, __name__
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="tikor.insiden"):
        response = client.get("/rusak/")

    page = response.content.decode()
    incident = re.search(r"nomor insiden <strong>(\d{6}-[0-9A-F]{6})</strong>", page).group(1)
    assert response.status_code == 500
    assert "division by zero" not in page
    assert f"Insiden {incident}: GET /rusak/" in caplog.text
    assert "ZeroDivisionError" in caplog.text
    # The bare page is styled by a <style> block the policy lets through by its nonce, not by style attributes.
    nonce = re.search(r'<style nonce="([^"]+)">', page).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert "style=" not in page


def test_operators_health_reports_each_part_and_is_hidden_from_everyone_else(client, settings, sekretariat):
    settings.HEALTH_TOKEN = "rahasia-monitor"
    url = reverse("sehat_rinci")

    assert client.get(url).status_code == 404
    assert client_for(client, sekretariat).get(url).status_code == 404  # not a superuser
    client.logout()
    assert client.get(url, headers={"X-Sehat-Token": "salah"}).status_code == 404
    response = client.get(url, headers={"X-Sehat-Token": "rahasia-monitor"})

    checks = response.json()["pemeriksaan"]
    assert set(checks) == {"basis_data", "antrean", "pekerja", "disk", "pekerjaan"}
    assert checks["basis_data"]["ok"] is True
    assert checks["disk"]["sisa_persen"] > 0
    assert checks["pekerjaan"] == {**checks["pekerjaan"], "ok": True, "menunggu": 0, "tanpa_detak": 0}
    # No worker listens during the tests: with a broker that is said, and the page answers 503.
    if not checks["antrean"].get("mode"):
        assert checks["pekerja"]["ok"] is False
        assert response.status_code == 503
    assert client.get(reverse("sehat")).json() == {"status": "ok"}


def test_with_the_broker_down_the_health_page_says_so(client, settings):
    from tests.tikor.test_job_liveness import reset_connections
    from tikor.celery import app

    admin = UserFactory(username="admin", role=Role.SEKRETARIAT, is_superuser=True, is_staff=True)
    eager, url = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:1/0"
    reset_connections(app)
    try:
        response = client_for(client, admin).get(reverse("sehat_rinci"))
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, url
        reset_connections(app)

    assert response.status_code == 503
    assert response.json()["status"] == "bermasalah"
    assert response.json()["pemeriksaan"]["antrean"]["ok"] is False
    assert "Connection refused" in response.json()["pemeriksaan"]["antrean"]["kesalahan"]
