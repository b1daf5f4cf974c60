"""What each role may do, as Django groups and permissions, kept in step after every migrate.

Where a role may act is the scoping gate's job (tikor.scoping); this module only says what.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from tikor.models import ROLE_AREA_LEVEL, Role, Tingkat

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)
REGISTRY = ("penyaluran.kpm", "penyaluran.ewarong", "penyaluran.agen", "penyaluran.penyedia")
REFERENCE = ("penyaluran.bank", "tikor.wilayah")
# Bank data and what is derived from it: every role reads it inside its area; the secretariat manages it.
DISTRIBUSI = (
    "penyaluran.periode",
    "penyaluran.penyaluran",
    "penyaluran.transaksi",
    "penyaluran.sinyalrisiko",
    "penyaluran.skorrisiko",
    "penyaluran.realisasi",
)
# What a pendamping records in the field; every other monev model it only reads.
MONEV_FIELD_WORK = ("monev.kunjungan", "monev.temuan", "monev.tindaklanjut", "monev.pengaduan")

# Model -> actions, plus extra codenames. "app.*" stands for every model of an app.
ROLE_PERMISSIONS = {
    Role.SEKRETARIAT: {
        "models": {"tikor.*": ALL, "penyaluran.*": ALL, "monev.*": ALL},
        "extra": [
            "penyaluran.lihat_nik_lengkap",
            "penyaluran.impor_registri",
            "monev.verifikasi_kunjungan",
            "monev.catat_sanksi_berat",
        ],
    },
    Role.TIKOR_KOTA: {
        "models": {
            **dict.fromkeys(REGISTRY + REFERENCE + DISTRIBUSI, VIEW),
            "penyaluran.kpm": ("view", "change"),
            "monev.*": VIEW,
        },
        "extra": ["penyaluran.lihat_nik_lengkap"],
    },
    Role.PENDAMPING: {
        "models": {
            **dict.fromkeys(REGISTRY + REFERENCE + DISTRIBUSI, VIEW),
            "penyaluran.kpm": ("view", "change"),
            "penyaluran.ewarong": ("view", "change"),
            "monev.*": VIEW,
            **dict.fromkeys(MONEV_FIELD_WORK, ("add", "change", "view")),
        },
        "extra": ["penyaluran.lihat_nik_lengkap"],
    },
    Role.ANGGOTA: {"models": {**dict.fromkeys(REGISTRY + REFERENCE + DISTRIBUSI, VIEW), "monev.*": VIEW}, "extra": []},
}


def _permissions_for(spec):
    wanted = Permission.objects.none()
    for target, actions in spec["models"].items():
        app_label, model = target.split(".")
        codenames = [f"{action}_" for action in actions]
        qs = Permission.objects.filter(content_type__app_label=app_label)
        if model != "*":
            qs = qs.filter(content_type__model=model)
        for prefix in codenames:
            wanted |= qs.filter(codename__startswith=prefix)
    for name in spec["extra"]:
        app_label, codename = name.split(".")
        wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return wanted


def sync_role_groups(**kwargs):
    """Create or update one group per role with exactly the permissions above (post_migrate)."""
    for role, spec in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role.label))
        group.permissions.set(_permissions_for(spec))


def validate_area(role, wilayah):
    """A role's area must be drawn at its level: one kota, one or more kecamatan, or none."""
    level = ROLE_AREA_LEVEL[role]
    wilayah = list(wilayah)
    if role == Role.SEKRETARIAT and wilayah:
        raise ValidationError("Sekretariat bertugas di seluruh DKI Jakarta; kosongkan wilayah tugas.")
    if role == Role.TIKOR_KOTA and len(wilayah) != 1:
        raise ValidationError("Tikor kota harus punya tepat satu kota/kab. adm.")
    if role == Role.PENDAMPING and not wilayah:
        raise ValidationError("Pendamping harus punya minimal satu kecamatan.")
    if role == Role.ANGGOTA and len(wilayah) > 1:
        raise ValidationError("Anggota Tikor bertugas di seluruh DKI Jakarta atau di satu kota saja.")
    wrong = [str(w) for w in wilayah if level and w.tingkat != level]
    if wrong:
        raise ValidationError(
            f"Wilayah tugas {Role(role).label} harus {Tingkat(level).label}: {', '.join(wrong)} tidak sesuai."
        )
