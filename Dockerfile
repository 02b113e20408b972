# One image for web (gunicorn), worker and beat (Celery); settings come from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# GNU gettext: msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first: a code change then reuses this layer.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Catalogs and static files are built into the image; a throwaway key is enough for that.
RUN export SECRET_KEY=build-only-never-used-at-run-time ALLOWED_HOSTS=localhost \
    && python manage.py compilemessages \
    && python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p media \
    && chown -R app:app media staticfiles

USER app
EXPOSE 8000

# Workers: WEB_CONCURRENCY (read by gunicorn itself); hooks for the metrics: config/gunicorn.py.
CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi"]
