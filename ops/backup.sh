#!/usr/bin/env bash
# Back up the Stadtdialog database: ops/backup.sh DATABASE_URL [BACKUP_DIR]
# Writes a compressed custom-format dump named by the UTC time and keeps the last 14.
set -euo pipefail
url="${1:?usage: ops/backup.sh DATABASE_URL [BACKUP_DIR]}"
dir="${2:-var/backups}"
mkdir -p "$dir"
file="$dir/stadtdialog-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file.partial" "$url"
# The rename makes a half-written dump impossible to mistake for a good one.
mv "$file.partial" "$file"
ls -1t "$dir"/stadtdialog-*.dump | tail -n +15 | xargs -r rm --
echo "$file"
