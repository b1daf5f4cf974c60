import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "kata-sandi-uji-123"


def test_login_page_speaks_indonesian(client, db):
    response = client.get(reverse("masuk"))

    assert response.status_code == 200
    assert "Kata sandi" in response.content.decode()
    assert '<html lang="id">' in response.content.decode()


def test_pendamping_logs_in_with_username_and_password(client, pendamping_gambir):
    response = client.post(reverse("masuk"), {"username": "pendamping.gambir", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("beranda")


def test_wrong_password_is_refused_in_indonesian(client, pendamping_gambir):
    response = client.post(reverse("masuk"), {"username": "pendamping.gambir", "password": "salah"})

    assert response.status_code == 200
    assert "nama pengguna dan sandi yang benar" in response.content.decode()


def test_five_failed_logins_lock_the_account_even_with_the_right_password(client, pendamping_gambir):
    for _ in range(5):
        client.post(reverse("masuk"), {"username": "pendamping.gambir", "password": "salah"})

    response = client.post(reverse("masuk"), {"username": "pendamping.gambir", "password": PASSWORD})

    assert response.status_code == 429
    assert "dikunci sementara" in response.content.decode()


def test_login_form_without_csrf_token_is_refused(db):
    UserFactory(username="budi")
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(reverse("masuk"), {"username": "budi", "password": PASSWORD})

    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/login/?next=/admin/"])
def test_admin_login_goes_to_the_one_login_page(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith(reverse("masuk"))


def test_logout_needs_a_post(client, sekretariat):
    client.force_login(sekretariat)

    assert client.get(reverse("keluar")).status_code == 405
    assert client.post(reverse("keluar")).status_code == 302
    assert client.get(reverse("beranda")).status_code == 302
