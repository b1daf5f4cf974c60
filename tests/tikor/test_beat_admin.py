"""The schedules' pages (django-celery-beat) speak Indonesian to the secretariat: labels, help, actions, messages,
and every schedule in words ("Setiap hari pukul 07.00 WIB"), not cron_descriptor's "At 07:00 AM"."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from tests.conftest import client_for, html_text, visible_text
from tikor.schedule_descriptions import describe_crontab

pytestmark = pytest.mark.django_db

MONTHLY_REPORT = "Laporan realisasi bulanan (tanggal 5, bulan sebelumnya)"
DAILY_DIGEST = "Ringkasan harian tindak lanjut lewat batas untuk pendamping"

# What the package and cron_descriptor write in English on these pages.
ENGLISH = [
    "Periodic task",
    "Periodic tasks",
    "Periodic Tasks",
    "Crontab",
    "Crontabs",
    "Enabled",
    "Last run",
    "Last Run Datetime",
    "At 06:00",
    "At 07:00",
    "AM",
    "Select",
    "Schedule",
    "Interval Schedule",
    "Task Name",
    "Task (registered)",
    "Start Datetime",
    "One-off Task",
    "Arguments",
    "Execution Options",
    "Minute(s)",
    "Hour(s)",
    "Cron Timezone",
    "every",
    "(m/h/dM/MY/d)",
    "Translation",
    "Human readable",
    "Enable selected tasks",
    "Run selected tasks",
    "Description",
]


def english_left(response):
    text = visible_text(response)
    return [phrase for phrase in ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)]


def result_rows(response):
    """The change list as {name: {column header: cell}}, in the words a person reads."""
    page = response.content.decode()
    start = page.index('<table id="result_list">')
    table = page[start : page.index("</table>", start)]
    header, *rows = (
        [" ".join(html_text(cell).split()) for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr\b.*?</tr>", table, flags=re.S)
    )
    # The first cell is the action checkbox; the name comes next.
    return {cells[1]: dict(zip(header, cells, strict=True)) for cells in rows}


@pytest.fixture
def monthly_report(db):
    return PeriodicTask.objects.get(name=MONTHLY_REPORT)


@pytest.fixture
def beat_started(db, monkeypatch):
    """The entries beat writes to the database when it starts: CELERY_BEAT_SCHEDULE and Celery's result cleanup."""
    from tikor.celery import app

    # Beat drops stale connections before it reads; inside the test's transaction that would drop the test's own.
    monkeypatch.setattr("django_celery_beat.schedulers.close_old_connections", lambda: None)
    DatabaseScheduler(app=app, lazy=True).setup_schedule()


def test_the_task_list_speaks_indonesian(client, sekretariat, monthly_report):
    client_for(client, sekretariat)

    response = client.get(reverse("admin:django_celery_beat_periodictask_changelist"))

    assert response.status_code == 200
    text = visible_text(response)
    for indonesian in ("Pilih tugas berkala untuk diubah", "Aktif", "Jadwal", "Terakhir dijalankan", "Sekali jalan"):
        assert indonesian in text
    for action in ("Aktifkan tugas terpilih", "Nonaktifkan tugas terpilih", "Jalankan tugas terpilih"):
        assert action in text
    assert "Berdasarkan tugas Celery" in text
    assert english_left(response) == []


def test_a_task_page_speaks_indonesian_and_offers_crontabs_in_words(client, sekretariat, monthly_report):
    client_for(client, sekretariat)

    response = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[monthly_report.pk]))

    assert response.status_code == 200
    text = visible_text(response)
    for indonesian in ("Ubah tugas berkala", "Tugas (terdaftar)", "Jadwal cron", "Mulai berlaku", "Pilihan eksekusi"):
        assert indonesian in text
    assert f"{MONTHLY_REPORT}: Tanggal 5 setiap bulan pukul 06.00 WIB" in text
    assert re.search(
        r"<option [^>]*selected>Tanggal 5 setiap bulan pukul 06.00 WIB</option>", response.content.decode()
    )
    assert english_left(response) == []


def test_the_crontab_pages_speak_indonesian(client, sekretariat, monthly_report):
    client_for(client, sekretariat)

    listing = client.get(reverse("admin:django_celery_beat_crontabschedule_changelist"))
    page = client.get(reverse("admin:django_celery_beat_crontabschedule_change", args=[monthly_report.crontab_id]))

    assert (listing.status_code, page.status_code) == (200, 200)
    rows = result_rows(listing)
    assert rows["Tanggal 5 setiap bulan pukul 06.00 WIB"]["Ekspresi cron (menit jam tanggal bulan hari)"] == "0 6 5 * *"
    assert "Setiap hari pukul 07.00 WIB" in rows
    text = visible_text(page)
    for indonesian in ("Ubah jadwal cron", "Menit", "Hari dalam pekan", "Zona waktu", "Tugas berkala yang memakai"):
        assert indonesian in text
    assert MONTHLY_REPORT in text  # the task using it, listed below
    assert english_left(listing) == []
    assert english_left(page) == []


def test_the_projects_schedules_read_in_indonesian(client, sekretariat, beat_started):
    client_for(client, sekretariat)

    rows = result_rows(client.get(reverse("admin:django_celery_beat_periodictask_changelist")))

    assert {name: row["Jadwal"] for name, row in rows.items()} == {
        MONTHLY_REPORT: "Tanggal 5 setiap bulan pukul 06.00 WIB",
        DAILY_DIGEST: "Setiap hari pukul 07.00 WIB",
        "celery.backend_cleanup": "Setiap hari pukul 04.00 WIB",
        "periksa-pekerjaan": "Setiap menit",
        "rawat-pekerjaan-impor-ekspor": "Setiap jam",
        "perbarui-ringkasan-registri": "Setiap hari",
        "hitung-rekonsiliasi": "Setiap hari",
        "hapus-log-audit-lama": "Setiap hari",
    }


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ("0 2 * * *", "Setiap hari pukul 02.00 WIB"),
        ("0 6 5 * *", "Tanggal 5 setiap bulan pukul 06.00 WIB"),
        ("0 8,20 * * *", "Setiap hari pukul 08.00 dan 20.00 WIB"),
        ("30 7 * * 1-5", "Setiap Senin sampai Jumat pukul 07.30 WIB"),
        ("0 9 * * 1,4", "Setiap Senin dan Kamis pukul 09.00 WIB"),
        ("0 0 17 8 *", "Tanggal 17 Agustus setiap tahun pukul 00.00 WIB"),
        ("*/15 * * * *", "Setiap 15 menit"),
        ("0 */2 * * *", "Setiap 2 jam pada menit ke-0"),
        ("0 8-17 * * 1-5", "Setiap Senin sampai Jumat, setiap jam dari pukul 08.00 sampai 17.00 (WIB)"),
        # A date and a weekday together (celery wants both), or Sunday written as 7: the fields as they are.
        ("0 7 1 * 1", "Cron: menit 0, jam 7, tanggal 1, bulan *, hari dalam pekan 1 (WIB)"),
        ("0 7 * * 7", "Cron: menit 0, jam 7, tanggal *, bulan *, hari dalam pekan 7 (WIB)"),
    ],
)
def test_a_crontab_reads_in_words_or_as_its_fields(fields, words):
    minute, hour, day_of_month, month_of_year, day_of_week = fields.split()
    crontab = SimpleNamespace(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
        timezone="Asia/Jakarta",
    )

    assert describe_crontab(crontab) == words


def test_disabling_tasks_is_reported_in_indonesian(client, sekretariat):
    client_for(client, sekretariat)
    tasks = list(PeriodicTask.objects.filter(name__in=[MONTHLY_REPORT, DAILY_DIGEST]))

    response = client.post(
        reverse("admin:django_celery_beat_periodictask_changelist"),
        {"action": "disable_tasks", "_selected_action": [t.pk for t in tasks]},
        follow=True,
    )

    assert "2 tugas berhasil dinonaktifkan." in visible_text(response)
    assert not PeriodicTask.objects.filter(pk__in=[t.pk for t in tasks], enabled=True).exists()


def test_running_a_task_now_is_reported_in_indonesian(client, sekretariat, celery_eager):
    client_for(client, sekretariat)
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    ping = PeriodicTask.objects.create(name="Uji sambungan", task="tikor.tasks.ping", interval=every_hour)
    gone = PeriodicTask.objects.create(name="Tugas lama", task="tikor.tasks.sudah_dihapus", interval=every_hour)
    url = reverse("admin:django_celery_beat_periodictask_changelist")

    ran = client.post(url, {"action": "run_tasks", "_selected_action": [ping.pk]}, follow=True)
    refused = client.post(url, {"action": "run_tasks", "_selected_action": [ping.pk, gone.pk]}, follow=True)

    assert "1 tugas berhasil dijalankan." in visible_text(ran)
    assert "Tugas Celery tikor.tasks.sudah_dihapus tidak dikenal; tidak ada yang dijalankan." in visible_text(refused)


def test_a_task_needs_exactly_one_schedule_said_in_indonesian(client, sekretariat, monthly_report):
    client_for(client, sekretariat)
    form = {
        "name": "Uji jadwal",
        "regtask": "tikor.tasks.ping",
        "args": "[]",
        "kwargs": "{}",
        "headers": "{}",
        "enabled": "on",
    }
    url = reverse("admin:django_celery_beat_periodictask_add")

    none = client.post(url, form)
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    both = client.post(url, {**form, "crontab": monthly_report.crontab_id, "interval": every_hour.pk})

    assert "Pilih satu jadwal: interval, cron, peristiwa matahari atau waktu tertentu." in visible_text(none)
    assert visible_text(both).count("Pilih hanya satu jenis jadwal; kosongkan yang lain.") == 2
    assert english_left(none) == english_left(both) == []
    assert "must be set" not in visible_text(none) + visible_text(both)
    assert not PeriodicTask.objects.filter(name="Uji jadwal").exists()
