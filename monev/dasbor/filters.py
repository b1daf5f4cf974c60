"""The dashboard filter: period, kota, kecamatan and bank from the query string, checked against the user's scope.

The same filter drives the dashboard, the map and the benchmark, so a shared URL shows the same figures to anyone who
may see them. A region outside the user's area answers 404, as every page does; a bank's staff always see their bank.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404

from penyaluran.distribusi.models import Periode
from tikor.models import Bank, Tingkat, Wilayah

PROVINSI = "31"
TREND_PERIODS = 12


@dataclass(frozen=True)
class Filter:
    periode: Periode | None
    sebelumnya: Periode | None = None
    kota: Wilayah | None = None
    kecamatan: Wilayah | None = None
    bank: Bank | None = None
    bank_tetap: bool = False  # a bank's staff: the bank is theirs, not a choice
    codes: tuple = (PROVINSI,)  # the region codes the figures add up (area_codes)
    berikutnya: Periode | None = None  # the period after the chosen one: where its monev window ends
    riwayat: tuple = ()  # the periods up to the chosen one, oldest first
    semua_periode: tuple = ()  # every period, newest first (the filter's options)

    @property
    def wilayah(self):
        return self.kecamatan or self.kota

    def querystring(self, **changes):
        values = {
            "periode": self.periode.pk if self.periode else None,
            "kota": self.kota.kode if self.kota else None,
            "kecamatan": self.kecamatan.kode if self.kecamatan else None,
            "bank": self.bank.pk if self.bank and not self.bank_tetap else None,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def label(self):
        parts = [str(self.periode) if self.periode else "belum ada periode"]
        if self.wilayah:
            parts.append(str(self.wilayah))
        if self.bank:
            parts.append(f"bank {self.bank.kode}")
        return " · ".join(parts)


def area_codes(user, wilayah):
    """The region codes the figures add up: the chosen region, else the user's area, else the province.

    A user whose area holds a region and one inside it (a kota and one of its kecamatan) counts it once.
    """
    if wilayah:
        return (wilayah.kode,)
    if user.scope.everywhere:
        return (PROVINSI,)
    codes = sorted(w.kode for w in user.wilayah.all())
    return tuple(c for c in codes if not any(c.startswith(f"{other}.") for other in codes if other != c))


def area_q(path, codes):
    """Rows whose Wilayah along `path` lies in one of the regions `codes` (a code prefix is a subtree)."""
    if tuple(codes) == (PROVINSI,):
        return Q()
    subtree = Q()
    for kode in codes:
        subtree |= Q(kode=kode) | Q(kode__startswith=f"{kode}.")
    return Q(**{f"{path}__in": Wilayah.objects.filter(subtree).values("kode")})


def _region(user, kode, tingkat, label):
    if not kode:
        return None
    region = Wilayah.objects.for_user(user).filter(kode=kode, tingkat=tingkat).first()
    if region is None:
        raise Http404(f"{label} {kode} tidak ditemukan di wilayah Anda.")
    return region


def filter_from(request):
    """The Filter in the query string (?periode=&kota=&kecamatan=&bank=); unknown or out-of-scope values answer 404."""
    user = request.user
    periods = list(Periode.objects.order_by("-tahun", "-bulan"))
    periode = periods[0] if periods else None
    if request.GET.get("periode"):
        periode = next((p for p in periods if str(p.pk) == request.GET["periode"]), None)
        if periode is None:
            raise Http404("Periode tidak ditemukan.")
    at = periods.index(periode) if periode else 0
    around = {
        "sebelumnya": periods[at + 1] if at + 1 < len(periods) else None,
        "berikutnya": periods[at - 1] if periode and at > 0 else None,
        "riwayat": tuple(reversed(periods[at : at + TREND_PERIODS])),
        "semua_periode": tuple(periods),
    }
    kota = _region(user, request.GET.get("kota"), Tingkat.KOTA, "Kota")
    kecamatan = _region(user, request.GET.get("kecamatan"), Tingkat.KECAMATAN, "Kecamatan")
    if kota and kecamatan and kecamatan.induk_id != kota.kode:
        kecamatan = None  # the kota was changed after the kecamatan was chosen: the kota wins
    if kecamatan and not kota:
        kota = Wilayah.objects.for_user(user).filter(kode=kecamatan.induk_id).first()
    codes = area_codes(user, kecamatan or kota)
    if user.scope.bank_id:
        bank = Bank.objects.get(pk=user.scope.bank_id)
        return Filter(periode, kota=kota, kecamatan=kecamatan, bank=bank, bank_tetap=True, codes=codes, **around)
    bank = None
    if request.GET.get("bank"):
        bank = Bank.objects.filter(pk=request.GET["bank"]).first() if request.GET["bank"].isdigit() else None
        if bank is None:
            raise Http404("Bank tidak ditemukan.")
    return Filter(periode, kota=kota, kecamatan=kecamatan, bank=bank, codes=codes, **around)


def choices(user, chosen):
    """Options of the filter form: every period, and the regions and banks the user may pick."""
    regions = Wilayah.objects.for_user(user)
    kecamatan = regions.kecamatan()
    if chosen.kota:
        kecamatan = kecamatan.filter(induk=chosen.kota)
    return {
        "periode": chosen.semua_periode,
        "kota": regions.kota(),
        "kecamatan": kecamatan,
        "bank": [] if chosen.bank_tetap else Bank.objects.all(),
    }
