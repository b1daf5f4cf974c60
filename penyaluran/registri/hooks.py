"""What the registry tells the layers above it, which register receivers in their AppConfig.ready."""

from django.dispatch import Signal

# Sent once a registry import has written rows (registri.imports.import_file): distribution recounts the
# reconciliation of the open periods, whose rules read KPM statuses and family cards.
registri_diperbarui = Signal()
