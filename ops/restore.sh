#!/usr/bin/env bash
# Restore a dump into an EMPTY database: ops/restore.sh DUMP_FILE DATABASE_URL
# Refuses to write into a database that already has Stadtdialog tables.
set -euo pipefail
dump="${1:?usage: ops/restore.sh DUMP_FILE DATABASE_URL}"
url="${2:?usage: ops/restore.sh DUMP_FILE DATABASE_URL}"
tables=$(psql --tuples-only --no-align --command="SELECT count(*) FROM pg_tables WHERE tablename = 'django_migrations'" "$url")
if [ "$tables" != "0" ]; then
  echo "The target database is not empty; restore into a new database and switch DATABASE_URL." >&2
  exit 1
fi
pg_restore --exit-on-error --no-owner --no-privileges --single-transaction --dbname="$url" "$dump"
echo "restored $dump"
