"""The magnifier of a raw-id field that names an account (a complaint's "ditugaskan ke") opens the account list as
a popup: a pendamping, who may not read accounts, gets the people it may choose there, and nothing else."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LOOKUP = {"_to_field": "id", "_popup": "1"}


def test_pendamping_lookup_popup_lists_only_the_accounts_it_may_choose(
    client, pendamping_gambir, pendamping_tanah_abang, tikor_jakpus, sekretariat
):
    response = client_for(client, pendamping_gambir).get("/admin/tikor/user/", LOOKUP)

    assert response.status_code == 200
    listed = {user.username for user in response.context["cl"].result_list}
    assert listed == {"pendamping.gambir", "tikor.jakpus", "sekretariat"}


def test_pendamping_still_cannot_browse_or_open_accounts(client, pendamping_gambir, pendamping_tanah_abang):
    client_for(client, pendamping_gambir)

    assert client.get("/admin/tikor/user/").status_code == 403
    assert client.get(f"/admin/tikor/user/{pendamping_tanah_abang.pk}/change/", LOOKUP).status_code == 403
    assert client.post("/admin/tikor/user/?_to_field=id&_popup=1", {"action": "delete_selected"}).status_code == 403


def test_sekretariat_lookup_lists_every_account(client, sekretariat, pendamping_gambir, pendamping_tanah_abang):
    response = client_for(client, sekretariat).get("/admin/tikor/user/", LOOKUP)

    assert {user.username for user in response.context["cl"].result_list} >= {
        "pendamping.gambir",
        "pendamping.tanahabang",
    }
