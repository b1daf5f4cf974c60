"""The assignment planner: many e-warong at once, each to a team, an officer or its kecamatan's pendamping.

An e-warong that cannot be assigned is skipped and named, never the whole batch refused: one without a pendamping
(and no team or officer chosen), one that already has an open assignment with the instrument, one outside the
chosen officer's area. The database holds the rule on open assignments too (Penugasan's penugasan_terbuka_unik),
so two planners saving at once cannot both create one.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from monev.models import Penugasan
from tikor.models import Role, User


@dataclass
class Rencana:
    dibuat: list = field(default_factory=list)  # Penugasan created
    tanpa_pendamping: list = field(default_factory=list)  # EWarong skipped: no pendamping in its kecamatan
    sudah_ada: list = field(default_factory=list)  # EWarong skipped: an open assignment with the instrument
    ditolak: list = field(default_factory=list)  # (EWarong, reason) skipped for another reason


def pendamping_by_kecamatan(kecamatan_codes):
    """The first active pendamping of each kecamatan (as monev.complaints.pendamping_for picks), in one query."""
    rows = (
        User.objects.filter(role=Role.PENDAMPING, is_active=True, wilayah__kode__in=set(kecamatan_codes))
        .order_by("id")
        .values_list("wilayah__kode", "id")
    )
    chosen = {}
    for kode, user_id in rows:
        chosen.setdefault(kode, user_id)
    users = User.objects.in_bulk(set(chosen.values()))
    return {kode: users[user_id] for kode, user_id in chosen.items()}


def open_assignments(ewarong_ids, instrumen=None):
    """Ids of the e-warong among `ewarong_ids` with an open assignment (with `instrumen`, when given)."""
    queryset = Penugasan.objects.terbuka().filter(ewarong_id__in=ewarong_ids)
    if instrumen is not None:
        queryset = queryset.filter(instrumen=instrumen)
    return set(queryset.values_list("ewarong_id", flat=True))


def cancel_revisits_of_deleted_action(sender, instance, **kwargs):
    """pre_delete of TindakLanjut (also when its finding goes): its open re-visit has nothing left to verify.

    Cancelled before Django clears its asal_tindak_lanjut (SET_NULL), which would otherwise turn it into a second
    open routine assignment, refused by penugasan_terbuka_unik."""
    Penugasan.objects.terbuka().filter(asal_tindak_lanjut=instance).update(
        status=Penugasan.Status.BATAL, catatan="Dibatalkan: tindak lanjut yang diverifikasi dihapus."
    )


def assign(ewarong_list, *, instrumen, batas_waktu, tim=None, petugas=None, jumlah_sampel_kpm=5):
    """Create what can be created, in one transaction; say what was skipped and why.

    Any open assignment with the instrument, a re-visit included, stops a second one: the officer goes once.
    """
    ewarong_list = list(ewarong_list)
    rencana = Rencana()
    taken = open_assignments([e.pk for e in ewarong_list], instrumen)
    pendamping = pendamping_by_kecamatan(e.kelurahan_id.rsplit(".", 1)[0] for e in ewarong_list if e.kelurahan_id)
    for ewarong in ewarong_list:
        if ewarong.pk in taken:
            rencana.sudah_ada.append(ewarong)
            continue
        officer = petugas
        if officer is None and tim is None:
            officer = pendamping.get((ewarong.kelurahan_id or "").rsplit(".", 1)[0])
            if officer is None:
                rencana.tanpa_pendamping.append(ewarong)
                continue
        penugasan = Penugasan(
            ewarong=ewarong,
            instrumen=instrumen,
            tim=tim,
            petugas=officer,
            batas_waktu=batas_waktu,
            jumlah_sampel_kpm=jumlah_sampel_kpm,
        )
        try:
            penugasan.clean()
        except ValidationError as error:
            rencana.ditolak.append((ewarong, " ".join(error.messages)))
            continue
        rencana.dibuat.append(penugasan)
    try:
        with transaction.atomic():
            Penugasan.objects.bulk_create(rencana.dibuat)
    except IntegrityError as exc:
        # Another planner saved one of these a moment ago (penugasan_terbuka_unik): nothing of this batch is kept.
        raise ValidationError(
            "Sementara itu penugasan terbuka lain dibuat untuk sebagian e-warong ini; muat ulang halaman lalu "
            "simpan lagi. Tidak ada penugasan yang dibuat."
        ) from exc
    return rencana
