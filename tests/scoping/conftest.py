"""One e-warong's monitoring rows, built the way the field builds them, and the pages that show them."""

from django.urls import reverse

from monev.complaints import record_complaint
from monev.findings import add_action
from monev.models import Kunjungan, Pengaduan, Temuan
from tests.conftest import visit_payload


def submitted_visit(client, penugasan, **answers):
    """The assignment's pendamping sends a visit from the phone, then logs out."""
    client.force_login(penugasan.petugas)
    response = client.post(
        reverse("monev:kunjungan_kirim", args=[penugasan.pk]), visit_payload(**answers), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    client.logout()
    return Kunjungan.objects.get(penugasan=penugasan)


def monev_rows(client, penugasan, sekretariat, place):
    """At the assignment's e-warong: a visit with a finding (E9 bundling), an action and a complaint."""
    kunjungan = submitted_visit(client, penugasan, E9="ya")
    temuan = Temuan.objects.get(kunjungan=kunjungan)
    pengaduan = Pengaduan(
        ewarong=penugasan.ewarong, kanal="sms1708", kategori="harga", isi=f"Mahal di {place}", anonim=True
    )
    return {
        "penugasan": penugasan,
        "kunjungan": kunjungan,
        "temuan": temuan,
        "tindaklanjut": add_action(temuan, sekretariat, uraian=f"Pembinaan {place}", penanggung_jawab="Pendamping"),
        "pengaduan": record_complaint(pengaduan, sekretariat),
    }


def detail_pages(rows):
    """The pages of monev_rows(): the assignment, the visit, the finding, the complaint and the e-warong's score."""
    return [
        reverse("monev:penugasan", args=[rows["penugasan"].pk]),
        reverse("monev:kunjungan", args=[rows["kunjungan"].pk]),
        reverse("monev:temuan", args=[rows["temuan"].pk]),
        reverse("monev:pengaduan", args=[rows["pengaduan"].pk]),
        reverse("monev:skor_ewarong", args=[rows["penugasan"].ewarong_id]),
    ]
