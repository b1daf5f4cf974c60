"""Admin lists of the big tables count exactly up to a bound and take PostgreSQL's estimate past it."""

import pytest
from django.db import connection
from django.urls import reverse

from penyaluran.registri.models import Kpm
from tests.conftest import client_for
from tests.factories import KpmFactory
from tikor.admin_scoping import EstimatedCountPaginator

pytestmark = pytest.mark.django_db


def test_below_the_bound_the_count_is_exact(monkeypatch):
    KpmFactory.create_batch(7)
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 10)

    assert EstimatedCountPaginator(Kpm.objects.order_by("pk"), 5).count == 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_past_the_bound_the_count_is_the_planners_estimate_and_the_list_still_pages(
    monkeypatch, client, sekretariat, django_assert_max_num_queries
):
    KpmFactory.create_batch(30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE penyaluran_kpm")
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 10)

    queries = []
    with django_assert_max_num_queries(100) as captured:
        count = EstimatedCountPaginator(Kpm.objects.order_by("pk"), 5).count
        queries = [q["sql"] for q in captured.captured_queries]

    assert count >= 11  # never below what was counted exactly
    assert abs(count - 30) <= 15  # the planner's figure after ANALYZE, not an exact COUNT
    assert any(sql.startswith("EXPLAIN") for sql in queries)
    assert not any(sql.startswith('SELECT COUNT(*) AS "__count" FROM "penyaluran_kpm"') for sql in queries)
    page = client_for(client, sekretariat).get(reverse("admin:penyaluran_kpm_changelist"))
    assert page.status_code == 200


def test_a_delete_page_with_many_related_rows_counts_them_instead_of_listing_each(monkeypatch, client, sekretariat):
    from tests.factories import EWarongFactory, kredit, periode
    from tikor.admin_scoping import BoundedDeleteMixin

    monkeypatch.setattr(BoundedDeleteMixin, "DELETE_LIST_LIMIT", 5)
    juni = periode(2021, 6)
    people = KpmFactory.create_batch(8, ewarong=EWarongFactory())
    for kpm in people:
        kredit(juni, kpm)
    client = client_for(client, sekretariat)

    page = client.get(reverse("admin:penyaluran_periode_delete", args=[juni.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    # The credits protect the period: named as a kind with its count, none of them one by one.
    assert "penyaluran: 8 baris" in text
    assert people[0].nama not in text
    assert "tidak dapat" in text.lower() or "cannot" in text.lower() or "dilindungi" in text.lower()


def test_a_delete_page_with_few_related_rows_is_django_s_own(client, sekretariat):
    from django.utils.html import escape

    from tests.factories import EWarongFactory, kredit, periode

    juni = periode(2021, 6)
    credit = kredit(juni, KpmFactory(ewarong=EWarongFactory()))

    page = client_for(client, sekretariat).get(reverse("admin:penyaluran_periode_delete", args=[juni.pk]))

    assert page.status_code == 200
    # Django names each protected row.
    assert escape(str(credit)) in page.content.decode()
    assert "1 baris" not in page.content.decode()
