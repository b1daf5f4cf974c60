# Production image: gunicorn serving tikor. The same image runs the Celery worker and beat (docker-compose.yml).
FROM python:3.11-slim

# gunicorn reads its flags from GUNICORN_CMD_ARGS, so `docker compose` and a bare `docker run` serve alike.
# Four threads per worker: a request waiting on PostgreSQL does not hold a worker (the load test, bench/load_run.py,
# runs this setup). Idle connections are kept 75 s, longer than a client or proxy keeps one for reuse (nginx and most
# load balancers: 60 s): with gunicorn's default of 2 s, and still with 5 s, the load test's users coming back after
# a few seconds met connections the server was closing (connection resets).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --workers 3 --threads 4 --keep-alive 75 --timeout 120 --access-logfile -"

RUN groupadd --system tikor && useradd --system --gid tikor --home-dir /app --no-create-home tikor
WORKDIR /app

# Dependencies first: this layer is reused until requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings to load, not a real key; the running container gets SECRET_KEY from its environment.
# The code stays owned by root; the app user may write only collected static files and media.
RUN SECRET_KEY=build-only-not-secret DEBUG=0 python manage.py collectstatic --noinput -v 0 \
    && mkdir -p media \
    && chown -R tikor:tikor staticfiles media

USER tikor
EXPOSE 8000
CMD ["gunicorn", "tikor.wsgi:application"]
