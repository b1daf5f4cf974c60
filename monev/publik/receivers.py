"""A new e-warong gets its public code when it is saved (connected by MonevConfig.ready). Rows written in bulk
(registry imports) get theirs when a poster is printed (KodePublik.lengkapi) or when seed_demo runs."""

from django.db.models.signals import post_save


def on_ewarong_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        from monev.models import KodePublik

        KodePublik.untuk(instance)


def connect():
    from penyaluran.registri.models import EWarong

    post_save.connect(on_ewarong_saved, sender=EWarong, dispatch_uid="monev.publik.kode_ewarong_baru")
