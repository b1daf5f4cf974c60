from django.apps import AppConfig


class MonevConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monev"
    verbose_name = "Monitoring dan evaluasi"

    def ready(self):
        from tikor.models import Role
        from tikor.roles import ALL, VIEW, grant

        grant(
            Role.SEKRETARIAT,
            {"monev.*": ALL},
            ["monev.verifikasi_kunjungan", "monev.catat_sanksi_berat", "monev.cetak_poster"],
        )
        for role in (Role.TIKOR_KOTA, Role.PENDAMPING, Role.ANGGOTA):
            grant(role, {"monev.*": VIEW})
        # What a pendamping records in the field; every other monev model it only reads.
        field_work = ("monev.kunjungan", "monev.temuan", "monev.tindaklanjut", "monev.pengaduan")
        grant(Role.PENDAMPING, dict.fromkeys(field_work, ("add", "change", "view")))

        from monev.risiko import receivers, scores
        from penyaluran.distribusi.parameters import register

        # The combined e-warong risk: its weights join the detectors' parameters, and it follows the signals
        # (penyaluran.risiko.hooks.sinyal_diperbarui) and every finding, complaint and visit.
        register(scores.PARAMETER)
        receivers.connect()

        from monev.publik import receivers as publik_receivers

        publik_receivers.connect()  # every new e-warong gets the code of its public page and QR poster

        from django.db.models.signals import pre_delete

        from monev.assignments import cancel_revisits_of_deleted_action
        from monev.models import TindakLanjut

        pre_delete.connect(cancel_revisits_of_deleted_action, sender=TindakLanjut, dispatch_uid="batal_kunjungan_ulang")
