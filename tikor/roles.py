"""What each role may do, as Django groups and permissions, kept in step after every migrate.

Where a role may act is the scoping gate's job (tikor.scoping); this module only says what.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from tikor.models import ROLE_AREA_LEVEL, Role, Tingkat

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)

# Role -> {"models": {"app.model" or "app.*": actions}, "extra": ["app.codename"]}. The core grants its own
# models below; each app grants its models in its AppConfig.ready, so the core names no program model.
ROLE_PERMISSIONS = {role: {"models": {}, "extra": []} for role in Role}


def grant(role, models=None, extra=()):
    """Add actions on models, and extra permissions, to what a role may do (the union of every grant)."""
    spec = ROLE_PERMISSIONS[role]
    for target, actions in (models or {}).items():
        spec["models"][target] = tuple(dict.fromkeys((*spec["models"].get(target, ()), *actions)))
    spec["extra"].extend(name for name in extra if name not in spec["extra"])


grant(Role.SEKRETARIAT, {"tikor.*": ALL})
# The schedules beat runs (django-celery-beat): the secretariat edits them in the admin.
grant(Role.SEKRETARIAT, {"django_celery_beat.*": ALL})
for _role in (Role.TIKOR_KOTA, Role.PENDAMPING, Role.ANGGOTA):
    grant(_role, {"tikor.wilayah": VIEW, "tikor.bank": VIEW})


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
