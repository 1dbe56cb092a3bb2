#!/usr/bin/env bash
# The whole test suite: lint, types, migrations, deploy check, pytest on SQLite and on PostgreSQL.
# Extra arguments go to pytest (e.g. scripts/test.sh -k clock).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
unset DATABASE_URL GONGKAI_PRODUCTION GONGKAI_SECRET_KEY GONGKAI_ALLOWED_HOSTS
step() { printf '\n== %s\n' "$*"; }

step "ruff (lint + format)"
ruff check src tests benchmarks
ruff format --check src tests benchmarks

step "mypy (strict on statutory/ and reading/)"
mypy src/gongkai/statutory src/gongkai/reading src/gongkai/rendering

step "migrations are up to date"
GONGKAI_DATA_DIR="$(mktemp -d)" python -m gongkai.cli manage makemigrations --check --dry-run >/dev/null

step "check --deploy in production settings"
GONGKAI_PRODUCTION=1 GONGKAI_DATA_DIR="$(mktemp -d)" \
  GONGKAI_SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" \
  GONGKAI_ALLOWED_HOSTS=gongkai.example.gov.cn \
  python -m gongkai.cli manage check --deploy --fail-level WARNING

step "security audit (bandit: no high findings in src/; pip-audit on constraints.txt)"
scripts/security-audit.sh

step "pytest on SQLite"
pytest -q -p no:cacheprovider "$@"

step "pytest on PostgreSQL (throw-away server)"
scripts/with-postgres.sh pytest -q -p no:cacheprovider -m "not sqlite_only" "$@"
