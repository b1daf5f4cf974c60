"""The KPM rows of the demo registry: valid NIK and No KK, KKS numbers with their bank's prefix and a Luhn digit."""

import datetime
from collections import Counter

from monev.demo.names import person_name, street_address
from penyaluran.registri.models import Kpm

DATA_DATE = datetime.date(2021, 9, 22)  # the Tikor meeting the figures come from; ages are counted to it
SUMBER_DATA = "DTKS Kemensos"
TAHUN_DATA = 2021

# Synthetic card prefixes: "60", the bank's BI clearing code, "1". A KKS number is prefix + 9 digits + Luhn digit.
KKS_PREFIX = {
    "BNI": "600091",
    "BRI": "600021",
    "MANDIRI": "600081",
    "BTN": "602001",
    "BSI": "604511",
    "BANKDKI": "601111",
}


def luhn_digit(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str(-total % 10)


def kpm_rows(registry):
    """Kpm instances one by one, so the 200.000 rows never sit in memory at once."""
    rng = registry.rng("kpm")
    nik_serial, kk_serial, kks_sequence = Counter(), Counter(), Counter()
    for bank in KKS_PREFIX:
        kks_sequence[bank] = rng.randint(10_000_000, 40_000_000)
    shared_first, shared_second = registry.planted.shared_no_kk or (None, None)
    age_days = (int(20 * 365.25) + 1, int(85 * 365.25) - 1, int(44 * 365.25))
    kk_latest = datetime.date(2021, 6, 30)
    kk_earliest = datetime.date(2004, 1, 1)
    rw_count = {}
    previous = None
    for i, kelurahan_index in enumerate(registry.kpm_kelurahan):
        kel = registry.kelurahan[kelurahan_index]
        region = kel.region_digits
        female = rng.random() < 0.62
        born = DATA_DATE - datetime.timedelta(days=int(rng.triangular(*age_days)))
        day = born.day + 40 if female else born.day
        key = f"{region}{day:02d}{born:%m%y}"
        nik_serial[key] += 1
        nik = f"{key}{nik_serial[key]:04d}"

        if kelurahan_index not in rw_count:
            rw_count[kelurahan_index] = rng.randint(5, 15)
        if i == shared_second:
            # Same household as the previous row: same card, same house.
            no_kk, alamat, rt, rw = previous.no_kk, previous.alamat, previous.rt, previous.rw
        else:
            earliest = max(kk_earliest, born + datetime.timedelta(days=int(17 * 365.25)))
            issued = earliest + datetime.timedelta(days=rng.randint(0, (kk_latest - earliest).days))
            kk_key = f"{region}{issued:%d%m%y}"
            kk_serial[kk_key] += 1
            no_kk = f"{kk_key}{kk_serial[kk_key]:04d}"
            alamat = street_address(rng, registry.streets_of(kelurahan_index))
            rt = f"{rng.randint(1, 15):03d}"
            rw = f"{rng.randint(1, rw_count[kelurahan_index]):03d}"

        outlet = registry.kpm_outlet[i]
        bank = registry.outlets[outlet].bank
        if i in registry.planted.without_kks:
            nomor_kks = ""
        else:
            kks_sequence[bank] += rng.randint(1, 40)
            body = f"{KKS_PREFIX[bank]}{kks_sequence[bank]:09d}"
            nomor_kks = body + luhn_digit(body)

        row = Kpm(
            nik=nik,
            no_kk=no_kk,
            nama=person_name(rng, female).upper(),
            jenis_kelamin=Kpm.JenisKelamin.PEREMPUAN if female else Kpm.JenisKelamin.LAKI_LAKI,
            tanggal_lahir=born,
            alamat=alamat,
            rt=rt,
            rw=rw,
            kelurahan_id=kel.kode,
            nomor_kks=nomor_kks,
            bank_id=registry.banks[bank],
            ewarong_id=registry.outlet_pks[outlet] if registry.kpm_attached(i) else None,
            status=registry.kpm_status[i],
            sumber_data=SUMBER_DATA,
            tahun_data=TAHUN_DATA,
        )
        if i == shared_first:
            previous = row
        yield row
