import datetime

from django.template import Context, Template
from django.utils import timezone, translation


def render(source, **context):
    with translation.override("id"):
        return Template("{% load tikor_format %}" + source).render(Context(context))


def test_amounts_render_as_rupiah_with_dots():
    assert render("{{ x|rupiah }}", x=1234567) == "Rp1.234.567"
    assert render("{{ x|rupiah }}", x=-5000) == "-Rp5.000"
    assert render("{{ x|rupiah }}", x=None) == ""


def test_shares_render_as_indonesian_percentages():
    assert render("{{ x|persen }}", x=0.8765) == "87,7%"


def test_dates_are_written_out_in_indonesian():
    assert render("{{ d|date }}", d=datetime.date(2026, 11, 25)) == "25 November 2026"
    assert render("{{ d|date }}", d=datetime.date(2021, 9, 22)) == "22 September 2021"


def test_times_are_shown_in_jakarta_time(settings):
    moment = datetime.datetime(2026, 11, 25, 3, 30, tzinfo=datetime.UTC)

    with timezone.override("Asia/Jakarta"):
        assert render("{{ t|date }} {{ t|time }}", t=timezone.localtime(moment)) == "25 November 2026 10.30"
