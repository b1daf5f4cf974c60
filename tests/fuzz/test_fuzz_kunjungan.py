"""The visit JSON a phone sends, damaged in every way: never a server error, never half a visit stored, and a
refusal says in Indonesian what is wrong, by field."""

import json

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from monev.models import Foto, Jawaban, Kunjungan, SkorAspek, Temuan
from tests.conftest import COMPLIANT_EWARONG, visit_payload
from tests.fuzz.conftest import english_in, leaves
from tests.fuzz.strategies import json_values, junk_text

pytestmark = pytest.mark.django_db

FIELDS = ("uuid", "tanggal", "kpm", "lokasi", "jawaban", "keterangan", "catatan")


def counts():
    return [model.objects.count() for model in (Kunjungan, Jawaban, SkorAspek, Temuan, Foto)]


@st.composite
def damaged_payloads(draw):
    payload = visit_payload()
    for key in draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=3)):
        payload[key] = draw(st.one_of(json_values, junk_text))
    if isinstance(payload.get("jawaban"), dict) and draw(st.booleans()):
        codes = draw(st.lists(st.sampled_from([*COMPLIANT_EWARONG, "X99", "", "__proto__"]), max_size=4))
        for kode in codes:
            payload["jawaban"][kode] = draw(st.one_of(json_values, junk_text))
    if draw(st.booleans()):
        payload["lokasi"] = draw(
            st.fixed_dictionaries(
                {"lat": st.one_of(json_values, st.floats()), "lng": st.one_of(json_values, st.floats())},
                optional={"akurasi": st.one_of(json_values, st.floats())},
            )
        )
    return json.dumps(payload)


raw_bodies = st.one_of(
    st.binary(max_size=200).map(bytes),
    st.text(max_size=200),
    st.sampled_from([100, 10_000, 200_000]).map(lambda n: "[" * n + "]" * n),  # nested deeper than Python recurses
    st.sampled_from([100, 10_000, 200_000]).map(lambda n: '{"a":' * n + "1" + "}" * n),
)


@given(body=st.one_of(damaged_payloads(), raw_bodies))
# Found by this test: JSON nested past Python's recursion limit, and a value of the wrong JSON type, were a 500.
@example(body="[" * 200_000 + "]" * 200_000)
@example(body=json.dumps({**visit_payload(), "tanggal": False}))
def test_a_damaged_visit_is_refused_whole_and_named_by_field(client, penugasan_gambir, body):
    client.force_login(penugasan_gambir.petugas)
    before = counts()

    response = client.post(
        reverse("monev:kunjungan_kirim", args=[penugasan_gambir.pk]), body, content_type="application/json"
    )

    assert response.status_code in (200, 201, 400, 409), response.content[:500]
    data = response.json()
    if response.status_code in (200, 201):
        return
    assert counts() == before
    assert data["pesan"]
    assert not english_in(data["pesan"])
    try:
        quoted = leaves(json.loads(body))
    except (ValueError, RecursionError):
        quoted = []
    for name, messages in data.get("galat", {}).items():
        assert name
        assert messages
        for message in messages:
            assert not english_in(message, *quoted), (name, message)
