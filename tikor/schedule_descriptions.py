"""Beat schedules (django-celery-beat) in Indonesian words, for the admin where the secretariat edits them.

The package describes a crontab with cron_descriptor, which speaks English only ("At 02:00 AM"); here the common
patterns read "Setiap hari pukul 02.00 WIB" or "Tanggal 5 setiap bulan pukul 06.00 WIB", and anything else shows
its cron fields rather than a guess.
"""

from celery import schedules

from tikor.formatting import NAMA_BULAN, angka, tanggal

# Celery counts the week from Sunday = 0; people read it from Monday.
NAMA_HARI = ("Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu")
MONDAY_FIRST = (1, 2, 3, 4, 5, 6, 0)
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
INTERVAL_SECONDS = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
INTERVAL_UNITS = (("hari", 86400), ("jam", 3600), ("menit", 60), ("detik", 1))


def describe_crontab(crontab):
    """A CrontabSchedule in words; its cron fields where no plain sentence fits."""
    zone = ZONE_NAMES.get(str(crontab.timezone), str(crontab.timezone))
    try:
        spec = schedules.crontab(
            minute=crontab.minute,
            hour=crontab.hour,
            day_of_month=crontab.day_of_month,
            month_of_year=crontab.month_of_year,
            day_of_week=crontab.day_of_week,
        )
    except ValueError:  # what celery cannot read (Sunday as 7, say) is shown as typed
        spec = None
    days = spec and _days(spec)
    time = spec and _time(sorted(spec.minute), sorted(spec.hour))
    if not (days and time):
        return (
            f"Cron: menit {crontab.minute}, jam {crontab.hour}, tanggal {crontab.day_of_month}, "
            f"bulan {crontab.month_of_year}, hari dalam pekan {crontab.day_of_week} ({zone})"
        )
    if time.startswith("pukul"):
        return f"{days} {time} {zone}"
    if days == "Setiap hari":
        return time[0].upper() + time[1:]
    return f"{days}, {time} ({zone})"


def describe_interval(interval):
    """An IntervalSchedule in the largest whole unit: 86400 seconds is "Setiap hari", 90 seconds "Setiap 90 detik"."""
    if interval.period not in INTERVAL_SECONDS:
        return f"Setiap {angka(interval.every)} mikrodetik"
    total = interval.every * INTERVAL_SECONDS[interval.period]
    for word, size in INTERVAL_UNITS:
        if total % size == 0:
            count = total // size
            return f"Setiap {word}" if count == 1 else f"Setiap {angka(count)} {word}"
    raise AssertionError("a whole number of seconds")  # pragma: no cover: the last unit divides every total


def describe_clocked(clocked):
    """A ClockedSchedule: "Sekali, 1 Desember 2026 10.00 WIB"."""
    return f"Sekali, {tanggal(clocked.clocked_time, with_time=True)}"


def _time(minutes, hours):
    """The time of day part, or None when no short sentence says it."""
    if len(hours) == 24:
        if len(minutes) == 60:
            return "setiap menit"
        if step := _step(minutes, 60):
            return f"setiap {step} menit"
        if len(minutes) <= 4:
            return "setiap jam pada menit " + _join([f"ke-{m}" for m in minutes])
        return None
    if len(hours) * len(minutes) <= 6:
        return "pukul " + _join([f"{h:02d}.{m:02d}" for h in hours for m in minutes])
    if len(minutes) == 1:
        minute = minutes[0]
        if step := _step(hours, 24):
            return f"setiap {step} jam pada menit ke-{minute}"
        if _contiguous(hours):
            return f"setiap jam dari pukul {hours[0]:02d}.{minute:02d} sampai {hours[-1]:02d}.{minute:02d}"
    return None


def _days(spec):
    """The days part ("Setiap hari", "Tanggal 5 setiap bulan", "Setiap Senin sampai Jumat"), or None."""
    every_date, every_weekday = len(spec.day_of_month) == 31, len(spec.day_of_week) == 7
    months = sorted(spec.month_of_year)
    every_month = len(months) == 12
    in_months = "" if every_month else " pada bulan " + _span([NAMA_BULAN[m] for m in months], months)
    if every_date and every_weekday:
        return "Setiap hari" + in_months
    if every_weekday:
        dates = sorted(spec.day_of_month)
        text = "Tanggal " + _span([str(d) for d in dates], dates)
        if every_month:
            return text + " setiap bulan"
        if len(months) == 1:
            return f"{text} {NAMA_BULAN[months[0]]} setiap tahun"
        return text + in_months
    if every_date:
        weekdays = sorted(spec.day_of_week, key=MONDAY_FIRST.index)
        positions = [MONDAY_FIRST.index(d) for d in weekdays]
        return "Setiap " + _span([NAMA_HARI[d] for d in weekdays], positions) + in_months
    # A date and a weekday both set: celery runs only when both match, which a sentence would blur.
    return None


def _span(words, numbers):
    """ "Senin sampai Jumat" for three or more in a row, else "Senin dan Kamis" / "1, 10 dan 20"."""
    if len(numbers) >= 3 and _contiguous(numbers):
        return f"{words[0]} sampai {words[-1]}"
    return _join(words)


def _join(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " dan " + words[-1]


def _contiguous(numbers):
    return list(numbers) == list(range(numbers[0], numbers[0] + len(numbers)))


def _step(numbers, full):
    """The step of 0, s, 2s, ... through the whole range (s dividing it evenly), else None."""
    if len(numbers) < 2 or numbers[0] != 0:
        return None
    step = numbers[1]
    return step if full % step == 0 and numbers == list(range(0, full, step)) else None
