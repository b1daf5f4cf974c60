from django.apps import AppConfig


class PenyaluranConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "penyaluran"
    verbose_name = "Penyaluran dan registri"

    def ready(self):
        from tikor.models import Role
        from tikor.roles import ALL, VIEW, grant

        registry = ("penyaluran.kpm", "penyaluran.ewarong", "penyaluran.agen", "penyaluran.penyedia")
        # Bank data and what is derived from it: every role reads it inside its area; the secretariat manages it.
        distribusi = (
            "penyaluran.periode",
            "penyaluran.penyaluran",
            "penyaluran.transaksi",
            "penyaluran.realisasi",
            "penyaluran.sinyalrisiko",
        )
        grant(Role.SEKRETARIAT, {"penyaluran.*": ALL}, ["penyaluran.lihat_nik_lengkap", "penyaluran.impor_registri"])
        for role in (Role.TIKOR_KOTA, Role.PENDAMPING, Role.ANGGOTA):
            grant(role, dict.fromkeys(registry + distribusi, VIEW))
        for role in (Role.TIKOR_KOTA, Role.PENDAMPING):
            # Full NIK / No KK / KKS is not a permission of theirs: tikor.nik.may_see_full_numbers decides.
            grant(role, {"penyaluran.kpm": ("view", "change")})
        grant(Role.PENDAMPING, {"penyaluran.ewarong": ("view", "change")})

        from penyaluran.distribusi import parameters
        from penyaluran.registri import summary

        summary.connect()  # registry counts by kelurahan follow single saves and deletes
        from penyaluran.distribusi.hooks import periode_diperbarui
        from penyaluran.risiko.detectors import on_periode_diperbarui
        from penyaluran.risiko.parameters import PARAMETER as DETECTOR_PARAMETER

        parameters.register(DETECTOR_PARAMETER)

        # distribusi sits below risiko: it announces new bank data, risiko recomputes the signals.
        periode_diperbarui.connect(on_periode_diperbarui, dispatch_uid="risiko.refresh_signals")

        from penyaluran.distribusi.rekonsiliasi import hitung_terbuka
        from penyaluran.registri.hooks import registri_diperbarui

        # registri sits below distribusi: it announces a registry import, distribusi recounts the reconciliation.
        registri_diperbarui.connect(hitung_terbuka, dispatch_uid="distribusi.rekonsiliasi")
