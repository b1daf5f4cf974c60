"""Settings come from the environment: a laptop needs nothing, production passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "uji-" + "x7Qp2mZr9Lk4Vn8Bc1Hd6Fs3Jt5Wy0Ga" * 2,
    "DEBUG": "0",
    "ALLOWED_HOSTS": "monev.dinsos.jakarta.go.id",
    "DATABASE_URL": "postgres://tikor:rahasia@db.example:5432/tikor",
    "REDIS_URL": "redis://redis.example:6379/0",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
}
VARIABLES = set(PRODUCTION) | {"CELERY_BROKER_URL", "CSRF_TRUSTED_ORIGINS"}


def manage(*args, env):
    clean = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_server_without_secret_key_refuses_to_start():
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("env", "engine", "eager"),
    [
        ({}, "sqlite3", True),
        (
            {"DATABASE_URL": "postgres://u@h:5432/d", "REDIS_URL": "redis://h:6379/0", "SECRET_KEY": "k"},
            "postgresql",
            False,
        ),
    ],
)
def test_database_and_celery_follow_the_environment(env, engine, eager):
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE, s.TIME_ZONE)"
    )

    result = manage("shell", "--no-imports", "-c", code, env=env)

    assert result.stdout.split() == [f"django.db.backends.{engine}", str(eager), "id", "Asia/Jakarta"]
