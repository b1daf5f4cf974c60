"""Every model of the app, for Django's model discovery. Each lives in the sub-package of its layer:
registri (the registry), distribusi (periods, credits, purchases) and risiko (misuse signals)."""

from penyaluran.distribusi.models import (  # noqa: F401
    ImporBank,
    ParameterRisiko,
    Penyaluran,
    Periode,
    PeriodeTertutup,
    ProfilKolomBank,
    Realisasi,
    Transaksi,
)
from penyaluran.registri.models import (  # noqa: F401
    Agen,
    EWarong,
    ExportJob,
    ImportJob,
    Kpm,
    Penyedia,
    TerminalEdc,
    _import_path,  # named by migration 0004
    _output_path,
)
from penyaluran.risiko.models import SinyalRisiko  # noqa: F401
