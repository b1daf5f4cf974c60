"""Tunable thresholds and weights as data: each layer registers its values ({kode: (default, meaning)}); a
ParameterRisiko row with the same kode, edited by the secretariat in the admin, overrides the default.

Distribution registers its own (reconciliation) below; the misuse detectors (penyaluran.risiko) and the combined
risk (monev) register theirs from their AppConfig.ready, so the admin lists them all and this module names none.
"""

from decimal import Decimal

from penyaluran.distribusi.models import ParameterRisiko

PARAMETER = {
    "rekonsiliasi_saldo_hari": (
        30,
        "Rekonsiliasi: saldo dianggap mengendap bila belum habis sekian hari sesudah kredit",
    ),
}


def register(extra):
    """Add a higher layer's tunable values ({kode: (default, meaning)}); a kode may be registered only once."""
    taken = set(extra) & set(PARAMETER)
    if taken and any(PARAMETER[kode] != extra[kode] for kode in taken):
        raise ValueError(f"Parameter risiko sudah terdaftar: {', '.join(sorted(taken))}")
    PARAMETER.update(extra)


def parameters():
    """Every threshold and weight: the defaults, overridden by ParameterRisiko rows."""
    values = {kode: Decimal(str(default)) for kode, (default, _meaning) in PARAMETER.items()}
    values.update(ParameterRisiko.objects.filter(kode__in=PARAMETER).values_list("kode", "nilai"))
    return {kode: float(value) for kode, value in values.items()}


def ensure_parameter_rows():
    """Create a row per parameter so the admin lists them all; existing values are kept."""
    existing = set(ParameterRisiko.objects.values_list("kode", flat=True))
    ParameterRisiko.objects.bulk_create(
        ParameterRisiko(kode=kode, nilai=Decimal(str(default)), keterangan=meaning)
        for kode, (default, meaning) in PARAMETER.items()
        if kode not in existing
    )
