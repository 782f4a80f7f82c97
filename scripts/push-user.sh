#!/bin/sh
# Add a user the example proxy authenticates devices of (WITH_AUTH), or set
# a new password for one it has: a row of the subscriber table auth_db
# reads, in the database of the proxy's DB_URL. No kamctl needed.
#
# Usage: scripts/push-user.sh FILE | DB_URL USER DOMAIN [PASSWORD]
#   FILE | DB_URL  as for scripts/location-db.sh (SQLite file or URL,
#                  postgres://..., mysql://...), which this script runs
#                  first, so the table is there
#   USER           the user part of the device's address of record
#                  (sip:USER@DOMAIN): letters, digits and - _ . ~ +, up to
#                  64 characters
#   DOMAIN         the digest realm, AUTH_REALM of the proxy (by default
#                  SIP_DOMAIN): letters, digits, - and ., up to 64
#   PASSWORD       without it, the first line of standard input (keeps the
#                  password off the command line other users can see)
#
# Only digests are stored, as auth_db uses them with calculate_ha1 0:
# ha1 = MD5(USER:DOMAIN:PASSWORD), ha1b = MD5(USER@DOMAIN:DOMAIN:PASSWORD);
# the password column stays empty. The proxy looks users up by USER alone
# (use_domain 0, as usrloc's addresses of record): one row per USER.
set -eu

usage()
{
	echo "usage: $0 FILE | DB_URL USER DOMAIN [PASSWORD]" >&2
	exit 2
}

die()
{
	echo "$0: $*" >&2
	exit 1
}

[ $# -eq 3 ] || [ $# -eq 4 ] || usage
url=$1 user=$2 domain=$3 pass=
if [ $# -eq 4 ]; then
	pass=$4
else
	IFS= read -r pass || [ -n "$pass" ] || die "no password on standard input"
fi

# Only characters that need no quoting in SQL nor escaping in a SIP URI:
# the values go into the statements as they are.
case "$user" in
'' | *[!A-Za-z0-9._~+-]*) die "USER '$user': only letters, digits and - _ . ~ + please" ;;
esac
case "$domain" in
'' | *[!A-Za-z0-9.-]*) die "DOMAIN '$domain': only letters, digits, - and . please" ;;
esac
[ ${#user} -le 64 ] || die "USER is longer than 64 characters"
[ ${#domain} -le 64 ] || die "DOMAIN is longer than 64 characters"
# the password only goes into the digests
[ -n "$pass" ] || die "empty password"

"$(dirname "$0")/location-db.sh" "$url"
# shellcheck source=scripts/db-url.sh
. "$(dirname "$0")/db-url.sh"

md5()
{
	printf '%s' "$1" | md5sum | cut -c1-32
}
ha1=$(md5 "$user:$domain:$pass")
ha1b=$(md5 "$user@$domain:$domain:$pass")

values="('$user', '$domain', '', '$ha1', '$ha1b')"
insert="INSERT INTO subscriber (username, domain, password, ha1, ha1b) VALUES $values"
# the unique key subscriber_account_idx (username, domain) of Kamailio's
# schema decides between adding and updating
upsert="$insert ON CONFLICT (username, domain) DO UPDATE
    SET password = excluded.password, ha1 = excluded.ha1, ha1b = excluded.ha1b;"
others="SELECT domain FROM subscriber WHERE username = '$user' AND domain <> '$domain';"

db_url_kind "$url" || die "unsupported database URL scheme in $url"
case "$db_kind" in
sqlite)
	sql()
	{
		sqlite3 -bail -cmd '.timeout 5000' "$db_file" "$1"
	}
	;;
postgres)
	db_url_split "$url" || usage
	db_url_pg_env
	sql()
	{
		psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"
	}
	;;
mysql)
	db_url_split "$url" || usage
	sql()
	{
		db_url_mysql -e "$1"
	}
	upsert="$insert ON DUPLICATE KEY UPDATE password = VALUES(password),
    ha1 = VALUES(ha1), ha1b = VALUES(ha1b);"
	;;
esac

sql "$upsert"
echo "$user@$domain: password set"
other=$(sql "$others" | tr '\n' ' ')
other=${other% }
[ -z "$other" ] || echo "$0: note: $user is in other domains too ($other);" \
	"the proxy looks users up by name alone (use_domain 0): keep one row per name" >&2
