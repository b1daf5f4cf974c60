"""Creating a person's account with a role and an area, for commands and the demo data alike."""

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction

from tikor.models import Bank, Role, Wilayah
from tikor.roles import validate_area


def create_or_update_user(username, role, area_codes, password, bank_kode=None, **fields):
    """Create the user, or bring an existing one in line with the role, area, bank and fields given.

    `area_codes` are Kemendagri codes drawn at the role's level (tikor.roles.validate_area);
    `password` None keeps an existing password (a new user then gets an unusable one).
    `fields` are other User fields: first_name, last_name, instansi, email, telepon, is_active.
    Returns (user, created). Raises ValidationError in Indonesian for an unknown role, region or
    bank, an area at the wrong level, or an invalid field value.
    """
    role, wilayah = resolve_area(role, area_codes)
    bank = resolve_bank(bank_kode) if bank_kode else None
    User = get_user_model()
    for name in fields:
        try:
            User._meta.get_field(name)
        except FieldDoesNotExist:
            raise TypeError(f"User has no field {name!r}") from None

    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        user.role = role
        user.bank = bank
        for name, value in fields.items():
            setattr(user, name, value)
        if password is not None:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()  # also puts the user in the role's group
        user.wilayah.set(wilayah)
    return user, created


def resolve_area(role, area_codes):
    """(Role, [Wilayah]) for a role name and area codes, checked against the role's level."""
    if role not in Role.values:
        raise ValidationError(f"Peran {role!r} tidak dikenal. Pilih salah satu: {', '.join(Role.values)}.", code="role")
    role = Role(role)
    codes = list(dict.fromkeys(code.strip() for code in area_codes or ()))
    wilayah = list(Wilayah.objects.filter(kode__in=codes))
    found = {w.kode for w in wilayah}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError(f"Kode wilayah tidak dikenal: {', '.join(unknown)}.", code="wilayah")
    validate_area(role, wilayah)
    return role, wilayah


def resolve_bank(kode):
    """The Bank with this code (any case), or ValidationError listing the known codes."""
    bank = Bank.objects.filter(kode__iexact=kode.strip()).first()
    if bank is None:
        known = ", ".join(Bank.objects.values_list("kode", flat=True))
        raise ValidationError(f"Bank {kode!r} tidak dikenal. Pilih salah satu: {known}.", code="bank")
    return bank
