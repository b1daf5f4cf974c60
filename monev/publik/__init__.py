"""The public face of every e-warong: a page behind its QR poster (what a KPM is owed, the reference prices, the
national channels), a complaint form without login that enters the monev workflow as channel "QR e-warong", a
status page read by tracking code, and the posters the secretariat prints.

Nothing personal is ever shown here: no KPM, no other complaint, no staff name. Public pages are light (under
50 KB, inline CSS, no JavaScript) for a cheap phone on a slow connection.
"""
