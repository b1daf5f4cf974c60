"""Monev pages, a module per feature. Every object is fetched through the gate first (outside the area: 404),
then the right is checked (inside the area without it: 403): tikor.shortcuts does both."""
