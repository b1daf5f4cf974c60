"""What the risk layer tells the layers above it, which register receivers in their AppConfig.ready."""

from django.dispatch import Signal

# Sent with `periode` once that period's SinyalRisiko rows are stored again (inside the same transaction):
# a combined risk built on the signals (monev) recomputes that period.
sinyal_diperbarui = Signal()
