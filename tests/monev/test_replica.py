"""With a read replica configured, the dashboards, the map and report builders read from it, and nothing else does.

The replica here is Django's test mirror of the test database (a second connection to it), so the rows are the
same and only the connection a query went through tells where it was sent. The mirror's connection does not see
the test transaction of the default one, so what the pages show here is not the point: where their queries went is.
"""

import datetime

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monev.laporan import jobs
from monev.models import Laporan
from penyaluran.registri.models import Kpm
from tests.conftest import KEL_GAMBIR
from tests.factories import KpmFactory
from tikor import replica
from tikor.models import Wilayah

pytestmark = pytest.mark.django_db(databases=["default", "replica"])


@pytest.fixture
def with_replica(settings):
    settings.READ_REPLICA = "replica"


@pytest.fixture(autouse=True)
def _close_the_replica_connection():
    yield
    # Its own connection to the test database: left open, it would keep the database from being dropped.
    connections["replica"].close()


def captured():
    return CaptureQueriesContext(connections["default"]), CaptureQueriesContext(connections["replica"])


def test_dashboard_and_map_read_from_the_replica(with_replica, client, sekretariat):
    KpmFactory(kelurahan_id=KEL_GAMBIR)
    client.force_login(sekretariat)
    primary, standby = captured()
    with primary, standby:
        assert client.get(reverse("beranda")).status_code == 200
        assert client.get(reverse("peta")).status_code == 200

    assert any("penyaluran_ringkasanregistri" in q["sql"] for q in standby.captured_queries)
    # The session and the user come through the middleware before the view: only those stay on the primary.
    assert not [q for q in primary.captured_queries if "penyaluran_" in q["sql"] or "monev_" in q["sql"]]


def test_other_pages_and_every_write_stay_on_the_primary(with_replica, client, sekretariat):
    kpm = KpmFactory(kelurahan_id=KEL_GAMBIR)
    client.force_login(sekretariat)
    primary, standby = captured()
    with primary, standby:
        assert client.get(reverse("monev:kpm", args=[kpm.pk])).status_code == 200
        with replica.reading():
            # A write inside a replica block still goes to the primary (a standby refuses writes).
            Kpm.objects.filter(pk=kpm.pk).update(nama="NAMA BARU")
            kpm.refresh_from_db(using="default")

    assert standby.captured_queries == []
    assert any("UPDATE" in q["sql"] and "penyaluran_kpm" in q["sql"] for q in primary.captured_queries)
    assert kpm.nama == "NAMA BARU"


def test_a_report_reads_its_figures_from_the_replica_and_keeps_its_job_on_the_primary(
    with_replica, sekretariat, celery_eager, django_capture_on_commit_callbacks
):
    primary, standby = captured()
    with primary, standby, django_capture_on_commit_callbacks(execute=True):
        laporan = jobs.ask(
            Laporan.Jenis.MONEV, datetime.date(2026, 10, 1), Wilayah.objects.get(kode="31"), user=sekretariat
        )
    laporan.refresh_from_db()

    assert laporan.status == "selesai", laporan.pesan
    assert any("monev_" in q["sql"] for q in standby.captured_queries)
    assert not [q for q in standby.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert any("UPDATE" in q["sql"] and "monev_laporan" in q["sql"] for q in primary.captured_queries)


def test_without_a_replica_everything_reads_from_the_primary(client, sekretariat):
    client.force_login(sekretariat)
    primary, standby = captured()
    with primary, standby:
        assert client.get(reverse("beranda")).status_code == 200

    assert standby.captured_queries == []
    assert any("penyaluran_ringkasanregistri" in q["sql"] for q in primary.captured_queries)
