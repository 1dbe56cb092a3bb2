#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server (UTF-8, C.UTF-8 locale) started in a
# temporary directory; DATABASE_URL points at it. The server and its files go away afterwards.
#   scripts/with-postgres.sh pytest -q
set -euo pipefail
bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir="$(pg_config --bindir)"
else
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "gongkai: 找不到 PostgreSQL（initdb）。请运行 scripts/bootstrap-system.sh test" >&2
  exit 1
fi
tmp="$(mktemp -d /tmp/gongkai-pg.XXXXXX)"
port="${GONGKAI_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
"${as_pg[@]}" "$bindir/initdb" -D "$tmp/data" -U gongkai --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
export DATABASE_URL="postgres://gongkai@127.0.0.1:$port/gongkai"
"${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U gongkai gongkai
"$@"
