#!/usr/bin/env bash
# Back up Kompas's PostgreSQL database and prove the backup restores: dump (pg_dump -Fc), restore
# into a fresh scratch database (pg_restore), compare every table's row count with the source,
# and recompute every conversation's hash chain on the restored copy (manage.py verify_records).
# The scratch database is dropped afterwards, whatever happened.
#
#   tools/backup_restore_check.sh                dump now into a temporary file, restore it, check
#   tools/backup_restore_check.sh --keep DIR     the same, and keep DIR/kompas-<UTC time>.dump with
#                                                its row counts (.counts) next to it: the nightly backup
#   tools/backup_restore_check.sh --from FILE    restore an existing dump and check it (against
#                                                FILE.counts when that exists): the restore drill
#
# Environment: the application's own (docs/OPERATIONS.md): DATABASE_URL, FIELD_ENCRYPTION_KEYS
# (verify_records decrypts the bodies: a dump without its keys cannot be checked, or read) and the
# rest of the settings. BACKUP_DATABASE_URL, when set, is used instead of DATABASE_URL for the
# dump and the scratch database (a role that may read every table and create databases; the
# application's own role should not). PY=/path/to/python picks the interpreter (default: .venv).
# Exit status 0 only when the restore worked, the counts match and every chain verifies.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ -x "$PY" ] || PY=python3

die() { echo "backup_restore_check: $*" >&2; exit 1; }

mode=now target_dir="" dump=""
case "${1:-}" in
  "") ;;
  --keep) [ $# -eq 2 ] || die "--keep needs a directory"; target_dir=$2 ;;
  --from) [ $# -eq 2 ] || die "--from needs a dump file"; mode=from dump=$2
          [ -r "$dump" ] || die "cannot read $dump" ;;
  *) die "usage: $0 [--keep DIR | --from FILE]" ;;
esac

source_url=${BACKUP_DATABASE_URL:-${DATABASE_URL:-}}
case "$source_url" in
  postgres://*|postgresql://*) ;;
  *) die "DATABASE_URL (or BACKUP_DATABASE_URL) must be postgres://... (got '${source_url%%:*}')" ;;
esac

# Every ordinary table of the schema with its row count (one_per_line: one "table=count" a line).
COUNT_SQL="SELECT coalesce(string_agg(format('%s=%s', c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I', c.relname), false, true, '')))[1]::text), ' ' ORDER BY c.relname), '') FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p');"
one_per_line() { tr ' ' '\n' | sed '/^$/d' | LC_ALL=C sort; }  # one order on any server

work=$(mktemp -d)
scratch="kompas_restore_check_$$_$RANDOM"
base=${source_url%%\?*}
query=${source_url#"$base"}
scratch_url="${base%/*}/$scratch$query"
cleanup() {
  psql -X -q -d "$source_url" -c "DROP DATABASE IF EXISTS \"$scratch\"" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$mode" = now ]; then
  if [ -n "$target_dir" ]; then
    mkdir -p "$target_dir"
    dump="$target_dir/kompas-$(date -u +%Y-%m-%dT%H%M%SZ).dump"
  else
    dump="$work/kompas.dump"
  fi
  # The counts and the dump come from ONE snapshot: a transaction exports it and stays open while
  # pg_dump reads it, so writes meanwhile (the site stays up) change neither.
  coproc SNAPSHOT { psql -X -q -At -v ON_ERROR_STOP=1 -d "$source_url" 2>&1; }
  printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;" "SELECT pg_export_snapshot();" \
    "$COUNT_SQL" >&"${SNAPSHOT[1]}"
  read -r -t 60 snapshot <&"${SNAPSHOT[0]}" || die "could not open a snapshot of the database"
  read -r -t 3600 source_counts <&"${SNAPSHOT[0]}" || die "could not count the rows"
  [[ $snapshot =~ ^[0-9A-F]+-[0-9A-F]+-[0-9]+$ ]] || die "psql: $snapshot"
  pg_dump -Fc --snapshot="$snapshot" -d "$source_url" -f "$dump"
  printf 'COMMIT;\n\\q\n' >&"${SNAPSHOT[1]}"
  wait "$SNAPSHOT_PID" || true
  one_per_line <<<"$source_counts" >"$dump.counts"
  echo "dumped $(wc -l <"$dump.counts") tables to $dump ($(du -h "$dump" | cut -f1))"
fi

psql -X -q -v ON_ERROR_STOP=1 -d "$source_url" -c "CREATE DATABASE \"$scratch\" TEMPLATE template0" >/dev/null
# Owners and grants are left out of the check (the scratch copy is owned by whoever runs it).
pg_restore --no-owner --no-privileges --exit-on-error -d "$scratch_url" "$dump"
psql -X -q -At -v ON_ERROR_STOP=1 -d "$scratch_url" -c "$COUNT_SQL" | one_per_line >"$work/restored.counts"
echo "restored $(wc -l <"$work/restored.counts") tables into the scratch database $scratch"

status=0
if [ -r "$dump.counts" ]; then
  if diff -u --label backup "$dump.counts" --label restored "$work/restored.counts"; then
    echo "row counts match: $(paste -sd' ' "$work/restored.counts")"
  else
    echo "ROW COUNTS DIFFER (above: backup, restored)" >&2
    status=1
  fi
else
  echo "no $dump.counts to compare with; restored: $(paste -sd' ' "$work/restored.counts")"
fi

DATABASE_URL=$scratch_url "$PY" manage.py verify_records || status=1
exit $status
