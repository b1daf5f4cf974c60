"""Django's admin autodiscovery imports this module; each layer registers its own models."""

from penyaluran.distribusi import admin as distribusi_admin  # noqa: F401
from penyaluran.registri import admin as registri_admin  # noqa: F401
from penyaluran.risiko import admin as risiko_admin  # noqa: F401
