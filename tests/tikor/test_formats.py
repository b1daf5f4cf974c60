import datetime
from decimal import Decimal

from django.db import connection
from django.template import Context, Template
from django.utils import timezone, translation

from tikor import formatting


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


def test_the_angka_and_tanggal_filters_write_counts_and_dates_the_indonesian_way():
    moment = datetime.datetime(2026, 11, 25, 20, 5, tzinfo=datetime.UTC)

    assert render("{{ x|angka }} baris", x=41288) == "41.288 baris"
    assert render("{{ x|angka:1 }}", x=12.25) == "12,3"
    assert render("{{ t|tanggal }}", t=moment) == "26 November 2026"
    assert render('{{ t|tanggal:"jam" }}', t=moment) == "26 November 2026 03.05 WIB"


def test_monev_scores_use_the_same_decimal_comma_and_a_dash_when_missing():
    template = Template("{% load monev_format %}{{ x|skor }}")

    assert template.render(Context({"x": 87.65})) == "87,7"
    assert template.render(Context({"x": None})) == "–"


# --- tikor.formatting: the functions behind the filters, for files, reports and messages ---------------------


def test_angka_groups_thousands_with_dots_and_keeps_the_sign_in_front():
    assert formatting.angka(0) == "0"
    assert formatting.angka(999) == "999"
    assert formatting.angka(1000) == "1.000"
    assert formatting.angka(-1234567) == "-1.234.567"
    assert formatting.angka(12_345_678_901_234) == "12.345.678.901.234"
    assert formatting.angka("206438") == "206.438"


def test_angka_rounds_half_up_with_a_decimal_comma():
    assert formatting.angka(12.5) == "13"
    assert formatting.angka(2.5) == "3"  # not banker's rounding
    assert formatting.angka(-2.5) == "-3"
    assert formatting.angka(1234.5678, 2) == "1.234,57"
    assert formatting.angka(0.05, 1) == "0,1"
    assert formatting.angka(Decimal("1000000.25"), 1) == "1.000.000,3"


def test_angka_is_empty_for_what_is_not_a_number():
    assert formatting.angka(None) == ""
    assert formatting.angka("") == ""
    assert formatting.angka("abc") == ""
    assert formatting.angka(float("nan")) == ""
    assert formatting.angka(float("inf")) == ""


def test_rupiah_rounds_half_up_to_whole_rupiah_and_puts_a_minus_before_rp():
    assert formatting.rupiah(1234567) == "Rp1.234.567"
    assert formatting.rupiah(200_000) == "Rp200.000"
    assert formatting.rupiah(0) == "Rp0"
    assert formatting.rupiah(1234.5) == "Rp1.235"
    assert formatting.rupiah(0.5) == "Rp1"
    assert formatting.rupiah(-5000) == "-Rp5.000"
    assert formatting.rupiah(-1234.5) == "-Rp1.235"
    assert formatting.rupiah(Decimal("9999999999.49")) == "Rp9.999.999.999"
    assert formatting.rupiah(None) == ""
    assert formatting.rupiah("bukan angka") == ""


def test_persen_reads_shares_as_fractions_without_float_noise():
    assert formatting.persen(0.8765) == "87,7%"  # 0.8765 is 0.87649... as a float; it still rounds up
    assert formatting.persen(0.8765, 2) == "87,65%"
    assert formatting.persen(1) == "100,0%"
    assert formatting.persen(12.5, 0) == "1.250%"
    assert formatting.persen(-0.125) == "-12,5%"
    assert formatting.persen(0) == "0,0%"
    assert formatting.persen(None) == ""


def test_tanggal_writes_the_month_out_and_shows_an_aware_moment_in_jakarta():
    late_utc = datetime.datetime(2026, 11, 25, 18, 30, tzinfo=datetime.UTC)  # 01.30 on the 26th in Jakarta

    assert formatting.tanggal(datetime.date(2026, 11, 25)) == "25 November 2026"
    assert formatting.tanggal(datetime.date(2021, 1, 1)) == "1 Januari 2021"
    assert formatting.tanggal(late_utc) == "26 November 2026"
    assert formatting.tanggal(late_utc, with_time=True) == "26 November 2026 01.30 WIB"
    assert formatting.tanggal(datetime.datetime(2026, 11, 25, 18, 30)) == "25 November 2026"  # naive: as it is
    assert formatting.tanggal(None) == ""
    assert formatting.tanggal("") == ""


def test_jam_is_the_jakarta_date_and_time_in_figures():
    assert formatting.jam(datetime.datetime(2026, 11, 25, 18, 30, tzinfo=datetime.UTC)) == "26-11-2026 01:30"


def test_db_moment_reads_a_naive_moment_as_jakarta_time(db):
    moment = formatting.db_moment(datetime.datetime(2021, 6, 10, 9, 15))

    if connection.vendor == "postgresql":
        assert moment == "2021-06-10 09:15:00+07:00"
    else:
        assert moment == "2021-06-10 02:15:00"  # Django keeps aware moments on SQLite as naive UTC
