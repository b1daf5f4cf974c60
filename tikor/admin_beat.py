"""The schedules beat runs (django-celery-beat), in the admin in Indonesian.

Labels, help texts, choices and messages the package marks for translation are in locale/id (django.po); what
it writes in English outright (the schedules' names, cron_descriptor's "At 02:00 AM", its form checks, a column
and a filter named after the code) is replaced here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
    cronexp,
)
from kombu.utils.json import loads

from tikor.schedule_descriptions import describe_clocked, describe_crontab, describe_interval

# The admin names a schedule by str() in page titles, breadcrumbs, the schedule choices of a task, inline rows,
# messages and the history; the package's names are English ("0 6 5 * * (m/h/dM/MY/d) Asia/Jakarta",
# "every 3600 seconds"). A proxy model would move the pages, their addresses and permissions, so the names are
# replaced on the models themselves; beat never reads them.
CrontabSchedule.__str__ = describe_crontab
IntervalSchedule.__str__ = describe_interval
ClockedSchedule.__str__ = describe_clocked

SCHEDULE_FIELDS = ("interval", "crontab", "solar", "clocked")

for _model in (PeriodicTask, CrontabSchedule, IntervalSchedule, SolarSchedule, ClockedSchedule):
    admin.site.unregister(_model)


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in SCHEDULE_FIELDS if cleaned.get(name)]
        if not chosen:
            raise forms.ValidationError("Pilih satu jadwal: interval, cron, peristiwa matahari atau waktu tertentu.")
        if len(chosen) > 1:
            for name in chosen:
                self.add_error(name, "Pilih hanya satu jenis jadwal; kosongkan yang lain.")
        if cleaned.get("clocked") and not cleaned.get("one_off"):
            self.add_error("one_off", "Jadwal waktu tertentu hanya berjalan sekali: centang Sekali jalan.")
        return cleaned

    def validate_unique(self):
        # The model repeats the checks of clean() in English; when one failed, it has been said already.
        if not any(self.has_error(name) for name in (NON_FIELD_ERRORS, "one_off", *SCHEDULE_FIELDS)):
            super().validate_unique()


class TaskNameFilter(admin.AllValuesFieldListFilter):
    """The task filter, titled in Indonesian (the model's label for it is English and not marked)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "tugas Celery"


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    fields = ("name", "tugas", "args", "kwargs")
    readonly_fields = fields

    @admin.display(description="Tugas Celery")
    def tugas(self, obj):
        return obj.task


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm
    # Django's own form: the package's adds only an English "Translation:" of the chosen crontab, and the
    # crontab choices now read in words themselves.
    change_form_template = None
    list_display = ("name", "enabled", "jadwal", "start_time", "last_run_at", "one_off")
    list_filter = ("enabled", "one_off", ("task", TaskNameFilter), "start_time", "last_run_at")
    fieldsets = tuple(
        (title, {**options, "fields": tuple(f for f in options["fields"] if f != "crontab_translation")})
        for title, options in beat_admin.PeriodicTaskAdmin.fieldsets
    )
    readonly_fields = ("last_run_at",)

    @admin.display(description="Jadwal")
    def jadwal(self, obj):
        return obj.scheduler

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Skips the package's map of every crontab to cron_descriptor's English, made for its template only.
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)

    # The package's actions name no permission, so Django would offer them to anyone who may view the list.
    @admin.action(description=beat_admin.PeriodicTaskAdmin.enable_tasks.short_description, permissions=["change"])
    def enable_tasks(self, request, queryset):
        return super().enable_tasks(request, queryset)

    @admin.action(description=beat_admin.PeriodicTaskAdmin.disable_tasks.short_description, permissions=["change"])
    def disable_tasks(self, request, queryset):
        return super().disable_tasks(request, queryset)

    @admin.action(description=beat_admin.PeriodicTaskAdmin.toggle_tasks.short_description, permissions=["change"])
    def toggle_tasks(self, request, queryset):
        return super().toggle_tasks(request, queryset)

    @admin.action(description="Jalankan tugas terpilih", permissions=["change"])
    def run_tasks(self, request, queryset):
        # The package's own action says its outcome in English it does not mark for translation.
        self.celery_app.loader.import_default_modules()
        tasks = list(queryset)
        unknown = [task.task for task in tasks if task.task not in self.celery_app.tasks]
        if unknown:
            self.message_user(
                request, f"Tugas Celery {unknown[0]} tidak dikenal; tidak ada yang dijalankan.", messages.ERROR
            )
            return
        for task in tasks:
            self.celery_app.tasks[task.task].apply_async(
                args=loads(task.args),
                kwargs=loads(task.kwargs),
                headers={"periodic_task_name": task.name},
                **({"queue": task.queue} if task.queue else {}),
            )
        self.message_user(request, f"{len(tasks)} tugas berhasil dijalankan.")


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    inlines = [PeriodicTaskInline]
    list_display = ("__str__", "ekspresi")
    fields = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ()

    @admin.display(description="Ekspresi cron (menit jam tanggal bulan hari)")
    def ekspresi(self, obj):
        return " ".join(
            cronexp(value) for value in (obj.minute, obj.hour, obj.day_of_month, obj.month_of_year, obj.day_of_week)
        )


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(beat_admin.IntervalScheduleAdmin):
    inlines = [PeriodicTaskInline]


@admin.register(SolarSchedule)
class SolarScheduleAdmin(beat_admin.SolarScheduleAdmin):
    inlines = [PeriodicTaskInline]


@admin.register(ClockedSchedule)
class ClockedScheduleAdmin(beat_admin.ClockedScheduleAdmin):
    inlines = [PeriodicTaskInline]
