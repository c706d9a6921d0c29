#!/usr/bin/env bash
# Install (Debian packages, when absent) and start PostgreSQL and Redis on loopback for the integration run.
set -euo pipefail

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
PG_USER="${PG_USER:-fineloop}"
PG_PASSWORD="${PG_PASSWORD:-fineloop}"
PG_DB="${PG_DB:-fineloop}"
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "services: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Redis: a private instance on loopback without persistence (the tests need a broker, not durability).
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save "" --appendonly no \
    --logfile /tmp/fineloop-redis.log
fi
for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null

# PostgreSQL: Debian's cluster, started if down, with a role that may create the test database.
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  $SUDO pg_createcluster "$version" main --port "$PG_PORT" >/dev/null
fi
pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online \
  || $SUDO pg_ctlcluster "$version" main start
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.2; done
pg_isready -h 127.0.0.1 -p "$PG_PORT" >/dev/null

as_postgres() { if [ -z "$SUDO" ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }
if ! as_postgres "psql -p $PG_PORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'\"" | grep -q 1; then
  as_postgres "psql -p $PG_PORT -qc \"CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD'\""
fi
if ! as_postgres "psql -p $PG_PORT -tAc \"SELECT 1 FROM pg_database WHERE datname='$PG_DB'\"" | grep -q 1; then
  as_postgres "createdb -p $PG_PORT -O $PG_USER $PG_DB"
fi
echo "services: PostgreSQL $version on 127.0.0.1:$PG_PORT (database $PG_DB), Redis on 127.0.0.1:$REDIS_PORT"
