"""Partners of the demo registry: the penyedia that supply e-warong and the bank agen, planned for a DemoRegistry."""

from collections import Counter
from dataclasses import dataclass

from monev.demo.names import (
    COMPANY_FIRST,
    COMPANY_LAST,
    COMPANY_TRADE,
    COOPERATIVE,
    VIRTUES,
    VIRTUES_2,
    outlet_address,
    person_name,
    phone_number,
    street_address,
)
from penyaluran.registri.models import Agen

AGEN_CODE_PREFIX = {
    "BNI": "BNI46",
    "BRI": "BRILINK",
    "MANDIRI": "MDRAGEN",
    "BTN": "BTNAGEN",
    "BSI": "BSIAGEN",
    "BANKDKI": "DKIAGEN",
}
AGEN_BRAND = {
    "BNI": "Agen46",
    "BRI": "BRILink",
    "MANDIRI": "Mandiri Agen",
    "BTN": "Agen BTN",
    "BSI": "BSI Agen",
    "BANKDKI": "Agen Bank DKI",
}


@dataclass
class AgenPlan:
    kelurahan: int
    bank: str
    nama: str
    pemilik: str
    alamat: str
    telepon: str
    status: str = Agen.Status.AKTIF
    kode: str = ""


@dataclass
class PenyediaPlan:
    kode: str
    nama: str
    penanggung_jawab: str
    npwp: str
    alamat: str
    kelurahan: int
    telepon: str
    serves: set  # kota codes
    size: float  # relative share of the e-warong it supplies


def plan_penyedia(registry):
    """Suppliers with an office in one kelurahan, each serving its own kota and one to three others."""
    rng = registry.rng("penyedia")
    kotas = sorted({k.kota for k in registry.kelurahan})
    mainland = [i for i, k in enumerate(registry.kelurahan) if k.kota != "31.01"] or list(
        range(len(registry.kelurahan))
    )
    names, plans = set(), []
    while len(plans) < registry.counts["penyedia"]:
        name = company_name(rng)
        if name in names or len(set(name.split())) < len(name.split()):
            continue
        names.add(name)
        home = rng.choice(mainland)
        others = [k for k in kotas if k != registry.kelurahan[home].kota]
        serves = {registry.kelurahan[home].kota, *rng.sample(others, min(len(others), rng.randint(1, 3)))}
        plans.append(
            PenyediaPlan(
                kode=f"PNY-{len(plans) + 1:03d}",
                nama=name,
                penanggung_jawab=person_name(rng, rng.random() < 0.3),
                npwp=f"{rng.randint(1, 99):02d}.{rng.randint(0, 999):03d}.{rng.randint(0, 999):03d}."
                f"{rng.randint(0, 9)}-{rng.randint(0, 999):03d}.000",
                alamat=street_address(rng, registry.streets_of(home)),
                kelurahan=home,
                telepon=f"021-{rng.randint(2000000, 8999999)}",
                serves=serves,
                size=rng.uniform(0.5, 2.0),
            )
        )
    for kota in kotas:
        if not any(kota in plan.serves for plan in plans):
            rng.choice(plans).serves.add(kota)
    for outlet in registry.outlets:
        kota = registry.kelurahan[outlet.kelurahan].kota
        serving = [p for p, plan in enumerate(plans) if kota in plan.serves]
        outlet.penyedia = rng.choices(serving, [plans[p].size for p in serving])[0]
    return plans


def company_name(rng):
    roll = rng.random()
    if roll < 0.5:
        return f"PT {rng.choice(COMPANY_FIRST)} {rng.choice(COMPANY_TRADE)} {rng.choice(COMPANY_LAST)}"
    if roll < 0.8:
        return f"CV {rng.choice(VIRTUES)} {rng.choice(COMPANY_TRADE)} {rng.choice(COMPANY_LAST)}"
    return f"{rng.choice(COOPERATIVE)} {rng.choice(['Warga', 'Mitra', 'Karya', 'Usaha'])} {rng.choice(VIRTUES)}"


def plan_agen(registry):
    """Most e-warong are also an agen of their bank; the other agen sit where KPM live."""
    rng = registry.rng("agen")
    total = registry.counts["agen"]
    linked = sorted(rng.sample(range(len(registry.outlets)), min(round(len(registry.outlets) * 0.8), total)))
    plans = []
    for j in linked:
        outlet = registry.outlets[j]
        outlet.agen = len(plans)
        plans.append(
            AgenPlan(
                kelurahan=outlet.kelurahan,
                bank=outlet.bank,
                nama=f"{AGEN_BRAND[outlet.bank]} {outlet.nama}",
                pemilik=outlet.pemilik,
                alamat=outlet.alamat,
                telepon=outlet.telepon,
            )
        )
    weights = [max(count, 1) for count in registry.kpm_per_kelurahan]
    while len(plans) < total:
        i = rng.choices(range(len(registry.kelurahan)), weights)[0]
        bank = registry.bank_near(rng, registry.kelurahan[i])
        female = rng.random() < 0.5
        owner = person_name(rng, female)
        shop = rng.choice(
            [
                f"{rng.choice(VIRTUES)} {rng.choice(VIRTUES_2)}",
                f"{rng.choice(VIRTUES)} Cell",
                f"Toko {owner.split()[0]}",
            ]
        )
        plans.append(
            AgenPlan(
                kelurahan=i,
                bank=bank,
                nama=f"{AGEN_BRAND[bank]} {shop}",
                pemilik=owner,
                alamat=outlet_address(rng, registry.streets_of(i)),
                telepon=phone_number(rng),
                status=Agen.Status.NONAKTIF if rng.random() < 0.04 else Agen.Status.AKTIF,
            )
        )
    sequence = Counter()
    for plan in sorted(plans, key=lambda p: registry.kelurahan[p.kelurahan].kode):
        kota = registry.kelurahan[plan.kelurahan].kota
        sequence[plan.bank, kota] += 1
        plan.kode = f"{AGEN_CODE_PREFIX[plan.bank]}-{kota.replace('.', '')}-{sequence[plan.bank, kota]:04d}"
    return plans
