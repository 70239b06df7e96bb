# syntax=docker/dockerfile:1
# Production image: migrations, then the API with several workers, as a non-root user.
# Needs an external PostgreSQL 15-18 (the embedded server is for development): DATABASE_URL for the
# runtime role, MIGRATION_DATABASE_URL for the owner (deploy/postgres-rollen.sql, README "Production").

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
RUN /opt/venv/bin/pip install -c constraints.txt .
# The domain's hot modules compiled with mypyc (docs/decisions/0013): mypy, setuptools, pydantic
# (its mypy plugin is in pyproject) and a C compiler live in this stage only; the runtime gets the
# extension modules alone, which app/_native.py serves while they match the installed sources.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
COPY tools ./tools
RUN python -m venv /opt/mypyc \
    && /opt/mypyc/bin/pip install -c constraints.txt mypy pydantic setuptools \
    && /opt/mypyc/bin/python tools/build_native.py --out /opt/native

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    THUISZITTERS_HOST=0.0.0.0 \
    PORT=8000 \
    THUISZITTERS_WORKERS=4 \
    THUISZITTERS_NATIVE_DIR=/opt/native \
    FORWARDED_ALLOW_IPS="10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"
RUN groupadd --system app && useradd --system --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /srv
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/native /opt/native
COPY alembic.ini ./
COPY migrations ./migrations
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/v1/health', timeout=4)"
CMD ["sh", "-c", "thuiszitters migrate && exec thuiszitters serve"]
