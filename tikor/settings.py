"""Settings for the Tikor BSP monev site, read from the environment.

Nothing set: SQLite next to manage.py, Celery tasks run eagerly, local-memory cache.
DATABASE_URL / REDIS_URL set: PostgreSQL, Redis as Celery broker, result backend and cache.
Every variable is listed in .env.example.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    # A laptop without configuration keeps a generated key in a git-ignored file, so sessions
    # survive restarts; a server (DATABASE_URL set) must be given SECRET_KEY explicitly.
    if "DATABASE_URL" in env:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set together with DATABASE_URL (see .env.example).")
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "tikor.apps.TikorAdminConfig",  # django.contrib.admin, its reading pages refusing a POST (tikor.admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    "axes",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "tikor",
    "penyaluran",
    "monev",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the session: a refused method costs no query.
    "tikor.middleware.KnownMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logs each request of a pendamping while a temporary access to another kecamatan is in force.
    "tikor.audit.AksesSementaraMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Headers and session policy (tikor.middleware): after authentication and messages, which they read.
    "csp.middleware.CSPMiddleware",
    "tikor.middleware.PermissionsPolicyMiddleware",
    "tikor.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tikor.middleware.IncidentMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tikor.urls"
WSGI_APPLICATION = "tikor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tikor.context_processors.notifikasi",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming standby for the dashboards, the map and report builders (tikor/replica.py); unset, all reads stay on
# the primary. Tests point it at the test database ("MIRROR"), as Django does for replicas.
if "DATABASE_REPLICA_URL" in env:
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
READ_REPLICA = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["tikor.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tikor.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 first, as Django's documentation advises: memory-hard, and a sign-in costs about half the CPU of Django's
# PBKDF2 at 1.000.000 iterations (the load test's sign-ins queued behind each other). Older PBKDF2 hashes still verify
# and are rehashed to Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "masuk"
LOGIN_REDIRECT_URL = "beranda"
LOGOUT_REDIRECT_URL = "masuk"

# Login throttling: five failures lock the username from that address for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "akun/terkunci.html"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tikor.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE stream to this folder inside the media root (personal data
# stays where the housekeeping sweeps it), not to the system's /tmp; tikor's AppConfig creates it.
FILE_UPLOAD_TEMP_DIR = str(Path(MEDIA_ROOT) / "unggahan-sementara")
STORAGES = {
    # A failed write (a full disk) leaves no half file behind (tikor/storage.py).
    "default": {"BACKEND": "tikor.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Bank and registry files are large; uploads stream to disk past this size.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "tikor.uploads.WholeTemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # An outage of Redis is a cache miss, logged, not an error page (tikor/cache.py).
    CACHES = {"default": {"BACKEND": "tikor.cache.TolerantRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# While the cache is unreachable the public pages serve without their rate limits, rather than refuse everyone.
RATELIMIT_FAIL_OPEN = True

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL) or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the site still works: tasks run in the request, as on a laptop.
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or env.str("CELERY_BROKER_URL", default=""))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# Jobs keep their outcome in their own rows; nothing reads a task's result. Ignoring results also keeps sending a
# task from subscribing to the result backend, which with Redis down retries for about 20 s and holds the page.
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With the broker down, queueing a job must not hold the page: one quick try, and the job waits for
# tikor.housekeeping.check_jobs to send it.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    # A message is sent over the producer's channel: one quick second try, not kombu's default of retrying
    # with growing pauses (about 2,3 s against a closed port).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    "periksa-pekerjaan": {"task": "tikor.tasks.periksa_pekerjaan", "schedule": env.int("JOB_CHECK_SECONDS", 60)},
    "rawat-pekerjaan-impor-ekspor": {"task": "tikor.tasks.rawat_pekerjaan", "schedule": 60 * 60},
    "hapus-log-audit-lama": {"task": "tikor.tasks.hapus_log_audit_lama", "schedule": 24 * 60 * 60},
    # The registry counts pages read are kept on every import and save; a nightly rebuild catches anything else.
    "perbarui-ringkasan-registri": {
        "task": "penyaluran.registri.tasks.perbarui_ringkasan_registri",
        "schedule": 24 * 60 * 60,
    },
    # Saldo mengendap depends on the day: the open periods' reconciliation is recounted every night too.
    "hitung-rekonsiliasi": {
        "task": "penyaluran.distribusi.tasks.hitung_rekonsiliasi_terbuka",
        "schedule": 24 * 60 * 60,
    },
}
# Schedules live in the database (django-celery-beat), editable by the secretariat in the admin; beat adds the
# entries above to them at start. Report schedules are created by monev's migrations.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Scaling out (README, "Scaling beyond DKI"): with CELERY_QUEUES_PER_KIND=1 each kind of work goes to its own
# queue, so a long import never holds up a report and each kind gets its own workers (`celery -A tikor worker -Q
# impor`). Off by default: one worker on the default queue runs everything.
CELERY_QUEUES_PER_KIND = env.bool("CELERY_QUEUES_PER_KIND", default=False)
if CELERY_QUEUES_PER_KIND:
    CELERY_TASK_ROUTES = {
        "penyaluran.registri.tasks.run_import_job": {"queue": "impor"},
        "penyaluran.distribusi.tasks.run_bank_import_job": {"queue": "impor"},
        "penyaluran.registri.tasks.run_export_job": {"queue": "ekspor"},
        "monev.laporan.tasks.*": {"queue": "laporan"},
        "penyaluran.distribusi.tasks.*": {"queue": "ringkasan"},
        "penyaluran.registri.tasks.perbarui_ringkasan_registri": {"queue": "ringkasan"},
    }
# A report task gets a SoftTimeLimitExceeded after this many seconds (the job fails with a clear message) and is
# killed at the hard limit; a report still running past the hard limit is failed by the minute check.
LAPORAN_SOFT_TIME_LIMIT = env.int("LAPORAN_SOFT_TIME_LIMIT", default=15 * 60)
LAPORAN_TIME_LIMIT = env.int("LAPORAN_TIME_LIMIT", default=20 * 60)
# Daily digests and report notices go out through Django's e-mail backend: printed to the console unless set.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Monev Bansos Pangan DKI <monev@dinsos.jakarta.go.id>")
# Links in e-mails (digests) start with this address.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# A running job writes a heartbeat this often; one silent for JOB_STALE_SECONDS has lost its worker, and is
# run again (up to JOB_MAX_ATTEMPTS runs in all, when it writes nothing but its own files) or failed.
JOB_HEARTBEAT_SECONDS = env.float("JOB_HEARTBEAT_SECONDS", default=10)
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=120)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=2)
# A job still waiting this long after it was sent is sent again: its message may be lost (Redis restarted).
JOB_RESEND_SECONDS = env.int("JOB_RESEND_SECONDS", default=15 * 60)
# The address printed in the QR code of e-warong posters (https://monev-bsp.example.org); empty: the address
# the secretariat's browser used when it asked for the poster.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="")
# Rate limits of the public pages count per client address: the header a trusted proxy sets
# (HTTP_X_FORWARDED_FOR, HTTP_X_REAL_IP) or, with none, the socket's address.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# A monitor sends this in the X-Sehat-Token header to read /sehat/rinci/ (database, broker, workers, disk, jobs).
HEALTH_TOKEN = env.str("HEALTH_TOKEN", default="")

# The map draws the shipped boundaries alone; a deployment with a tile server may add a base layer, e.g.
# https://tile.openstreetmap.org/{z}/{x}/{y}.png with its attribution. Empty: no request leaves the site.
PETA_TILE_URL = env.str("PETA_TILE_URL", default="")
PETA_TILE_ATTRIBUTION = env.str("PETA_TILE_ATTRIBUTION", default="")

# Uploaded files, rejected rows and exports (full NIK inside) are kept this long after their job ended.
JOB_FILES_KEEP_DAYS = env.int("JOB_FILES_KEEP_DAYS", default=30)
# Audit rows (sign-ins, views of full numbers, exports, changes, temporary access) older than this are deleted
# every night (tikor.tasks.hapus_log_audit_lama).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)

# Big import files are checked in this many forked worker processes (0: one per CPU; 1: none).
IMPORT_WORKERS = env.int("IMPORT_WORKERS", default=0)
IMPORT_PARALLEL_ABOVE_BYTES = env.int("IMPORT_PARALLEL_ABOVE_BYTES", default=4 * 1024 * 1024)
# Limits on what a user may send (tikor.uploads, penyaluran.importing.readers): past them a file is refused at
# once, by name, before it can exhaust a worker. Upload sizes in MB: registry and bank files; evidence and documents.
IMPORT_UPLOAD_MAX_MB = env.int("IMPORT_UPLOAD_MAX_MB", default=100)
DOCUMENT_UPLOAD_MAX_MB = env.int("DOCUMENT_UPLOAD_MAX_MB", default=20)
# Rows and columns an imported sheet or CSV may reach (Excel's own are 1.048.576 and 16.384).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=2_000_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=1000)
# An XLSX unpacked (2.000.000 KPM rows as openpyxl writes them are about 1 GB), and how much a part of it may
# grow when unpacked: real sheets 5 to 25 times, a bomb about 1.000 times.
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=2048)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)
# Memory (address space, MB) a process checking an import may take beyond what it had when it began; past it
# the file is refused with a message instead of the kernel killing the worker.
IMPORT_MEMORY_MB = env.int("IMPORT_MEMORY_MB", default=1024)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
# A session unused this long is ended (tikor.middleware.IdleSessionMiddleware). 30 minutes: the phones of
# pendamping go from hand to hand at an e-warong and can be lost, and a session shows NIK; filling a visit form
# needs no request (the form and its drafts live on the phone), and a visit sent after the session ended stays
# in the phone's outbox until the pendamping signs in again.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Features the pages may use: pendamping take photos and record where they stand at an e-warong; nothing else.
PERMISSIONS_POLICY = {
    "geolocation": "(self)",
    "camera": "(self)",
    **dict.fromkeys(
        (
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "display-capture",
            "fullscreen",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "usb",
            "xr-spatial-tracking",
        ),
        "()",
    ),
}

# Content security policy (django-csp): scripts only from the site's own files (no inline script, no eval);
# <style> blocks carry the request's nonce, and style attributes are refused: sizes computed on the server ride in
# data attributes that static/js/situs.js applies, and scripts set colours through the DOM.
# Photos are shown from data: and blob: URLs before they are sent; the map's base tiles come from PETA_TILE_URL.
# {s} in the tile host stands for Leaflet's subdomains (a, b, c): a wildcard covers them.
_tile_origin = "{0.scheme}://{0.netloc}".format(urlsplit(PETA_TILE_URL.replace("{s}", "*"))) if PETA_TILE_URL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:", *filter(None, [_tile_origin])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler masks NIK, No KK and KKS numbers (tikor.logfilter); a new handler takes the filter too.
    "filters": {"samarkan_nomor": {"()": "tikor.logfilter.MaskPersonNumbers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["samarkan_nomor"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
