"""Reports: the secretariat's monthly realisation, monev recap, penyedia evaluation, reconciliation, complaints
recap and e-warong profile, built by a Celery task into an XLSX workbook and a PDF on the letterhead.

`builders` turns a report's parameters into a `dokumen.Dokumen` (plain tables, read through the scoping gate);
`xlsx` and `pdf` write that one document two ways; `jobs` runs it as a tikor job; `jadwal` holds what beat
runs on schedule (the monthly report, the daily digest of overdue actions).
"""
