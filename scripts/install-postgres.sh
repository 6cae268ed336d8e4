#!/usr/bin/env bash
# A local PostgreSQL server for sitrep's PostgreSQL store and its tests (Debian; run as root).
#
#   eval "$(scripts/install-postgres.sh)"     # installs if needed, starts it, exports SITREP_TEST_PG
#
# Installs Debian's postgresql package when it is missing, starts the first cluster, and creates a
# role and a database for the tests.  The one line it prints on stdout is the export of the URL.
set -euo pipefail
ROLE=${SITREP_PG_ROLE:-sitrep}
PASSWORD=${SITREP_PG_PASSWORD:-sitrep}
DB=${SITREP_PG_DB:-sitrep_test}

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
read -r VERSION CLUSTER PORT STATUS _ < <(pg_lsclusters --no-header | head -n 1)
if [ -z "${VERSION:-}" ]; then
  VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_createcluster "$VERSION" main >&2
  read -r VERSION CLUSTER PORT STATUS _ < <(pg_lsclusters --no-header | head -n 1)
fi
if [ "$STATUS" != "online" ]; then
  pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -p $PORT -Atqc 'SELECT 1'" >/dev/null 2>&1 && break
  sleep 1
done
psql_admin() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -Atqc \"$1\""; }
if [ "$(psql_admin "SELECT count(*) FROM pg_roles WHERE rolname = '$ROLE'")" = "0" ]; then
  psql_admin "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = "0" ]; then
  psql_admin "CREATE DATABASE $DB OWNER $ROLE" >&2
fi
echo "export SITREP_TEST_PG=postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
