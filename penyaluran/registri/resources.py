"""django-import-export resources for the registry, built from the export columns in penyaluran.exports.

The admin exports through them (scoped by the admin queryset, NIK masked by role, audited there);
imports go through penyaluran.imports, the one engine. The resources still import, for comparison
and for the benchmark of django-import-export's own path.
"""

from functools import cached_property

from import_export import fields, resources, widgets

from penyaluran.registri.exports import COLUMNS
from penyaluran.registri.models import Agen, EWarong, Kpm, Penyedia
from tikor.models import Bank, Wilayah
from tikor.nik import mask_nik, may_see_full_numbers


class ChoiceLabelWidget(widgets.Widget):
    """Writes a choice's Indonesian label and reads either the label or the stored value."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        for stored, label in self.choices.choices:
            if text in (stored, str(label).lower()):
                return stored
        return self.choices.values[0] if not text else value

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


# Export column paths that an import writes through a foreign key, by natural code.
FOREIGN_KEYS = {
    "kelurahan_id": ("kelurahan", Wilayah, "kode"),
    "bank__kode": ("bank", Bank, "kode"),
    "ewarong__kode": ("ewarong", EWarong, "kode"),
    "agen__kode": ("agen", Agen, "kode"),
    "penyedia__kode": ("penyedia", Penyedia, "kode"),
}


def _fields(kind):
    declared = {}
    for column in COLUMNS[kind]:
        name = column.path.replace("__", "_")
        if column.path in FOREIGN_KEYS:
            attribute, model, code = FOREIGN_KEYS[column.path]
            field = fields.Field(attribute, column.header, widgets.ForeignKeyWidget(model, code))
        elif column.choices:
            field = fields.Field(column.path, column.header, ChoiceLabelWidget(column.choices))
        elif column.path == "tanggal_lahir":
            field = fields.Field(column.path, column.header, widgets.DateWidget("%d/%m/%Y"))
        else:
            # Names of related rows are for people; on import they are read from the codes instead.
            field = fields.Field(column.path, column.header, readonly="__" in column.path)
        declared[name] = field
    return declared


class RegistryResource(resources.ModelResource):
    """A resource that knows who exports, to mask NIK and No KK for roles that may not see them."""

    def __init__(self, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)

    @cached_property
    def masked(self):
        return not may_see_full_numbers(self.user)

    def get_queryset(self):
        queryset = self._meta.model.objects.all()
        return queryset.for_user(self.user) if self.user is not None else queryset

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if self.masked and field.attribute in ("nik", "no_kk", "nomor_kks"):
            return mask_nik(value)
        return value


def _resource(kind, model, key):
    declared = _fields(kind)
    meta = type(
        "Meta", (), {"model": model, "import_id_fields": (key,), "fields": tuple(declared), "skip_unchanged": True}
    )
    attrs = {**declared, "Meta": meta, "__module__": __name__}
    return type(f"{model.__name__}Resource", (RegistryResource,), attrs)


KpmResource = _resource("kpm", Kpm, "nik")
EWarongResource = _resource("ewarong", EWarong, "kode")
AgenResource = _resource("agen", Agen, "kode")
PenyediaResource = _resource("penyedia", Penyedia, "kode")
