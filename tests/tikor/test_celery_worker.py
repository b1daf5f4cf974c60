"""A task sent through the real Redis broker comes back from a real worker."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from tikor.celery import app
from tikor.tasks import ping

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: Celery runs eagerly without a broker"),
]


def test_a_task_round_trips_through_redis_and_a_worker():
    assert app.conf.broker_url.startswith("redis://")
    assert not app.conf.task_always_eager

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = ping.delay("sampai")

        assert result.get(timeout=20) == "sampai"
        assert result.status == "SUCCESS"
