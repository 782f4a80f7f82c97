#!/bin/sh
# Create the SQLite database usrloc keeps its bindings in (tables version,
# location, location_attrs), from the SQL scripts of Debian's
# kamailio-sqlite-modules package, unless the file already exists.
# Usage: scripts/location-db.sh FILE
set -eu
db=$1
[ -s "$db" ] && exit 0
sql=/usr/share/kamailio/db_sqlite
for f in "$sql/standard-create.sql" "$sql/usrloc-create.sql"; do
	[ -f "$f" ] || { echo "missing $f (package kamailio-sqlite-modules)" >&2; exit 1; }
done
mkdir -p "$(dirname "$db")"
cat "$sql/standard-create.sql" "$sql/usrloc-create.sql" | sqlite3 "$db.tmp"
mv "$db.tmp" "$db"
