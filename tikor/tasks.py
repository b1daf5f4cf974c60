from celery import shared_task


@shared_task
def ping(value="pong"):
    """Round trip through broker and worker, used by health checks and the worker test."""
    return value
