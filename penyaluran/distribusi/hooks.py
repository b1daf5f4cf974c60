"""What the distribution layer tells the layers above it, which register receivers in their AppConfig.ready."""

from django.dispatch import Signal

# Sent with `periode` once a period's bank data changed and its realisation summary is rebuilt
# (refresh_after_import): the misuse signals (risiko) are recomputed from it.
periode_diperbarui = Signal()
