# Several proxies on one database: two example proxies (A and B, usrloc
# db_mode 3, distinct server_id) on a private PostgreSQL server
# (scripts/pg-cluster.sh) route every push by the feature tags of the
# latest registration, whichever proxy took it. And in every db_mode, no
# location_attrs row outlives its binding (expiry, de-registration,
# ul.rm_contact).
#
# Helpers are prefixed pgc_, but for "on" (every t_*.sh is sourced into
# one shell).

PGC_PT='+g.oma.pusheventapp'
PGC_MMS=application/vnd.wap.mms-message
PGC_ULP=application/vnd.omaloc-supl-init

# Per proxy: its kamailio state of lib.sh (KAM_PID, KAM_PORT, ...) while
# another one is current.
declare -A PGC_PID=() PGC_PORT=() PGC_CTL=() PGC_LOG=() PGC_ARGS=()
PGC_CUR=
PGC_URL=
# How long (seconds) a binding's rows may stay after it went, and after
# its location row went (the attribute sweep runs every second here).
PGC_ROW_WAIT=${PGC_ROW_WAIT:-5}

# Start the test's PostgreSQL server (stopped by test_cleanup); sets
# PGC_URL, the db_url of its database.
pgc_db()
{
	free_port || return 1
	T_CLEANUP="$T_CLEANUP pgc_cleanup"
	PGC_URL=$("$ROOT/scripts/pg-cluster.sh" start "$T_WORK/pg" "$FREE_PORT") ||
		fail "PostgreSQL did not start"
}

# Every proxy first (they hold connections to the database), then the
# server; its data goes, its log stays.
pgc_cleanup()
{
	local name
	pgc_save
	for name in "${!PGC_PORT[@]}"; do
		pgc_use "$name"
		kam_stop
	done
	PGC_CUR=
	if [ -d "$T_WORK/pg" ]; then
		"$ROOT/scripts/pg-cluster.sh" stop "$T_WORK/pg"
		rm -rf "$T_WORK/pg/data"
	fi
}

pgc_save()
{
	[ -n "$PGC_CUR" ] || return 0
	PGC_PID[$PGC_CUR]=$KAM_PID
	PGC_PORT[$PGC_CUR]=$KAM_PORT
	PGC_CTL[$PGC_CUR]=$KAM_CTL
	PGC_LOG[$PGC_CUR]=$KAM_LOG
	PGC_ARGS[$PGC_CUR]=$(printf '%q ' "${KAM_ARGS[@]}")
}

# pgc_use NAME: make proxy NAME the one register, send_push, kam_rpc,
# kam_stop and kam_start_again talk to.
pgc_use()
{
	[ "$PGC_CUR" = "$1" ] && return 0
	pgc_save
	PGC_CUR=$1
	KAM_NAME=$1
	KAM_PID=${PGC_PID[$1]}
	KAM_PORT=${PGC_PORT[$1]}
	KAM_CTL=${PGC_CTL[$1]}
	KAM_LOG=${PGC_LOG[$1]}
	eval "KAM_ARGS=(${PGC_ARGS[$1]})"
}

# on NAME COMMAND...: run COMMAND against proxy NAME.
on()
{
	pgc_use "$1"
	shift
	"$@"
}

# pgc_proxy NAME [-A NAME=value ...]: start the example proxy NAME on the
# test's PostgreSQL database, in db_mode PGC_DB_MODE (default 3), with a
# server_id of its own.
pgc_proxy()
{
	local name=$1
	shift
	pgc_save
	PGC_CUR=$name
	KAM_NAME=$name
	KAM_DB_URL=$PGC_URL
	KAM_PID=
	kam_start cfg/push-proxy.cfg -A "DB_MODE=${PGC_DB_MODE:-3}" \
		-A "SERVER_ID=$((${#PGC_PORT[@]} + 1))" "$@"
	pgc_save
}

# Proxies A and B on a fresh database (extra arguments: for both).
pgc_two_proxies()
{
	pgc_db
	pgc_proxy A "$@"
	pgc_proxy B "$@"
}

# pgc_sql QUERY: one query on the test's database.
pgc_sql()
{
	PGCONNECT_TIMEOUT=5 timeout 10 psql "$PGC_URL" -X -A -t -q -c "$1"
}

# pgc_ruid NAME [AOR]: the ruid of the binding of device NAME (from
# push.caps of the current proxy; AOR default alice).
pgc_ruid()
{
	local aor=${2:-alice}
	kam_rpc push.caps "$aor" | tr -d '\t' |
		grep -A6 "^contact: sip:$aor@127.0.0.1:${DEV_PORT[$1]}\$" |
		sed -n 's/^ruid: //p' | head -n 1
}

# pgc_rows RUID: how many location rows and location_attrs rows it has,
# as "L A".
pgc_rows()
{
	pgc_sql "select (select count(*) from location where ruid = '$1') || ' ' ||
		(select count(*) from location_attrs where ruid = '$1')"
}

pgc_rows_are()
{
	[ "$(pgc_rows "$1")" = "$2" ]
}

# pgc_no_location RUID: whether its location row is gone.
pgc_no_location()
{
	case "$(pgc_rows "$1")" in "0 "*) return 0 ;; esac
	return 1
}

# pgc_gone RUID...: whether none of them has a row left.
pgc_gone()
{
	local r
	for r in "$@"; do
		pgc_rows_are "$r" "0 0" || return 1
	done
}

# pgc_left NAME...: "NAME: L A;" for each binding (ruid in $r_NAME) that
# still has rows.
pgc_left()
{
	local what r
	for what in "$@"; do
		eval "r=\$r_$what"
		pgc_rows_are "$r" "0 0" || printf ' %s: %s;' "$what" "$(pgc_rows "$r")"
	done
}

# pgc_wait SECONDS COMMAND...: run COMMAND until it succeeds, for about
# SECONDS at most (each run is a database query or two).
pgc_wait()
{
	local end=$((SECONDS + $1))
	shift
	while ! "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# pgc_tags_without RUID APP: fail if a location_attrs row of RUID names
# the push application APP.
pgc_tags_without()
{
	assert_eq "$(pgc_sql "select count(*) from location_attrs where ruid = '$1' and avalue like '%$2%'")" \
		0 "location_attrs rows of $1 that name $2"
}

# pgc_expect PUSH FINAL "DEVICES THAT GOT IT" DEVICE...: the push's final
# response, and exactly which of DEVICE... received a MESSAGE since the
# last pgc_expect (their counts are remembered).
declare -A PGC_SEEN=()
pgc_expect()
{
	local push=$1 final=$2 want=$3 name got= n
	shift 3
	assert_eq "$FINAL" "$final" "final response to $push"
	# the devices that should get it (bounded), then a moment for others
	wait_for 60 pgc_got_new $want
	sleep 0.3
	for name in "$@"; do
		n=$(received_count "$name")
		[ "$n" -gt "${PGC_SEEN[$name]:-0}" ] && got="$got $name"
		PGC_SEEN[$name]=$n
	done
	assert_eq "${got# }" "$want" "devices that got $push"
}

# Whether each device NAME... received a MESSAGE since the last pgc_expect.
pgc_got_new()
{
	local name
	for name in "$@"; do
		[ "$(received_count "$name")" -gt "${PGC_SEEN[$name]:-0}" ] || return 1
	done
}

# pgc_mms VIA PUSH / pgc_ulp VIA PUSH: an MMS (mms.ua) or SUPL (ulp.ua)
# push to alice through proxy VIA.
pgc_mms()
{
	local via=$1 push=$2
	on "$via" send_push "$push" alice "$PGC_MMS"
}

pgc_ulp()
{
	local via=$1 push=$2
	on "$via" send_push "$push" alice "$PGC_ULP"
}

# (a) A binding saved through A routes pushes through B; (b) re-registered
# through B with other tags, A routes it by the new ones; (c) refreshed
# without tags through A, the old tags are gone: the device is then one
# without feature tags, immune to the stamped require+explicit preference
# and left out only under strict_explicit. A runs with strict_explicit 0, B
# with 1, on the same bindings.
test_pgcluster_follows_latest_registration()
{
	local ruid
	pgc_db
	pgc_proxy A -A STRICT_EXPLICIT=0
	pgc_proxy B -A STRICT_EXPLICIT=1
	# (a)
	on A device dev alice ";$PGC_PT=\"mms.ua\""
	on A device other alice ";$PGC_PT=\"ulp.ua\""
	pgc_mms B a1
	pgc_expect a1 200 "dev" dev other
	pgc_ulp B a2
	pgc_expect a2 200 "other" dev other
	on B kam_rpc push.caps alice | tr -d '\t' >"$T_WORK/caps.a"
	assert_grep "$T_WORK/caps.a" '^bindings: 2$' "bindings B sees"
	ruid=$(on B pgc_ruid dev)
	[ -n "$ruid" ] || fail "no ruid of dev in push.caps"
	# (b)
	on B register alice "<sip:alice@127.0.0.1:${DEV_PORT[dev]}>;$PGC_PT=\"ulp.ua\""
	pgc_mms A b1
	pgc_expect b1 480 "" dev other
	pgc_ulp A b2
	pgc_expect b2 200 "dev other" dev other
	pgc_tags_without "$ruid" mms.ua
	# (c)
	on A register alice "<sip:alice@127.0.0.1:${DEV_PORT[dev]}>"
	on B kam_rpc push.caps alice | tr -d '\t' |
		grep -A6 "^contact: sip:alice@127.0.0.1:${DEV_PORT[dev]}\$" >"$T_WORK/caps.c"
	assert_grep "$T_WORK/caps.c" '^tags: *$' "tags B sees after the refresh"
	pgc_mms A c1
	pgc_expect c1 200 "dev" dev other
	pgc_mms B c2
	pgc_expect c2 480 "" dev other
	pgc_ulp B c3
	pgc_expect c3 200 "other" dev other
	pgc_tags_without "$ruid" ulp.ua
}

# (f) Two devices of one user registered through different proxies: a
# push through either proxy reaches exactly the matching one. (e) A
# restarted routes as before, and B routes by what the new A saves: in
# db_mode 3 everything lives in the database. (d) De-registered through A:
# B no longer routes to the device, and its rows are gone. ul.rm_contact
# on B likewise. The other bindings keep their rows throughout.
test_pgcluster_restart_and_removal()
{
	local r_mms r_ulp r_late
	pgc_two_proxies
	# (f)
	on A device mms alice ";$PGC_PT=\"mms.ua\""
	on B device ulp alice ";$PGC_PT=\"ulp.ua\""
	for via in A B; do
		pgc_mms "$via" "f-mms-$via"
		pgc_expect "f-mms-$via" 200 "mms" mms ulp
		pgc_ulp "$via" "f-ulp-$via"
		pgc_expect "f-ulp-$via" 200 "ulp" mms ulp
	done
	assert_eq "$(pgc_sql "select count(distinct ruid) || ' ' || count(*) from location_attrs")" \
		"2 2" "bindings with attributes, attribute rows"
	# (e)
	on A kam_stop
	on A kam_start_again
	wait_for 150 test -S "$KAM_CTL"
	pgc_mms A e1
	pgc_expect e1 200 "mms" mms ulp
	pgc_ulp A e2
	pgc_expect e2 200 "ulp" mms ulp
	on A device late alice ";$PGC_PT=\"mms.ua\""
	pgc_mms B e3
	pgc_expect e3 200 "mms late" mms ulp late
	r_mms=$(on B pgc_ruid mms)
	r_ulp=$(on B pgc_ruid ulp)
	r_late=$(on B pgc_ruid late)
	[ -n "$r_mms" ] && [ -n "$r_ulp" ] && [ -n "$r_late" ] ||
		fail "no ruid in push.caps"
	assert_eq "$(pgc_rows "$r_mms")" "1 1" "rows of mms (location, attrs)"
	# (d)
	on A register alice "<sip:alice@127.0.0.1:${DEV_PORT[mms]}>" 0
	pgc_mms B d1
	pgc_expect d1 200 "late" mms ulp late
	pgc_wait "$PGC_ROW_WAIT" pgc_rows_are "$r_mms" "0 0" ||
		fail "rows of the de-registered binding (location, attrs): $(pgc_rows "$r_mms")"
	# ul.rm_contact
	on B kam_rpc ul.rm_contact location alice \
		"sip:alice@127.0.0.1:${DEV_PORT[late]}" >"$T_WORK/rm.out" 2>&1 ||
		fail "ul.rm_contact failed: $(cat "$T_WORK/rm.out")"
	pgc_mms A d2
	pgc_expect d2 480 "" mms ulp late
	pgc_wait "$PGC_ROW_WAIT" pgc_rows_are "$r_late" "0 0" ||
		fail "rows of the binding ul.rm_contact removed (location, attrs): $(pgc_rows "$r_late")"
	assert_eq "$(pgc_rows "$r_ulp")" "1 1" "rows of the remaining binding"
}

# The push module's sweep of attribute rows whose binding is gone, every
# second (PGC_SWEEP_INTERVAL=0 in the environment switches it off, to see
# what usrloc leaves behind on its own).
PGC_SWEEP=(-A ATTRS_SWEEP_INTERVAL=${PGC_SWEEP_INTERVAL:-1})

# Registrations as short as one second, and a usrloc timer of one second.
PGC_FAST=(-A MIN_EXPIRES=1 -A UL_TIMER_INTERVAL=1)

# (g) db_mode 3: a binding that expired and bindings removed by
# "Contact: *" leave no row behind, neither in location nor in
# location_attrs (usrloc's timer deletes expired location rows, and its
# "Contact: *" the location rows, but neither the attributes: the push
# module's sweep does), within PGC_ROW_WAIT seconds; live bindings keep
# their rows.
test_pgcluster_no_orphan_attrs()
{
	local r_short r_long r_b1 r_b2 bad=
	pgc_two_proxies "${PGC_FAST[@]}" "${PGC_SWEEP[@]}"
	on B device long alice ";$PGC_PT=\"mms.ua\""
	on A device b1 bob ";$PGC_PT=\"mms.ua\""
	on B device b2 bob ";$PGC_PT=\"ulp.ua\""
	on A device short alice ";$PGC_PT=\"mms.ua\""
	on A register alice "<sip:alice@127.0.0.1:${DEV_PORT[short]}>;$PGC_PT=\"mms.ua\"" 2
	r_short=$(on A pgc_ruid short)
	r_long=$(on A pgc_ruid long)
	r_b1=$(on A pgc_ruid b1 bob)
	r_b2=$(on A pgc_ruid b2 bob)
	[ -n "$r_short" ] && [ -n "$r_long" ] && [ -n "$r_b1" ] && [ -n "$r_b2" ] ||
		fail "no ruid in push.caps"
	assert_eq "$(pgc_rows "$r_short")" "1 1" "rows of the short binding (location, attrs)"
	on A register bob '*' 0
	on B send_push g1 bob "$PGC_MMS"
	pgc_expect g1 404 "" b1 b2
	sleep 2
	pgc_mms B g2
	pgc_expect g2 200 "long" short long
	pgc_wait "$PGC_ROW_WAIT" pgc_no_location "$r_short" ||
		fail "location row of the expired binding still there"
	pgc_wait "$PGC_ROW_WAIT" pgc_gone "$r_short" "$r_b1" "$r_b2" ||
		bad=$(pgc_left short b1 b2)
	[ -z "$bad" ] ||
		fail "rows (location, attrs) left of bindings that are gone (short expired, b1 and b2 by Contact: *):$bad"
	assert_eq "$(pgc_rows "$r_long")" "1 1" "rows of the live binding"
}

# One proxy in DB_MODE (1: write-through, 2: write-back): a binding that
# expired, one de-registered, one removed with ul.rm_contact and those of
# a "Contact: *" leave no row behind; a live one keeps its rows.
# (PostgreSQL: on SQLite, usrloc's writes and the sweep's can fail with
# "database is locked", db_sqlite has no busy timeout, and a write-back
# that failed so leaves its row behind.)
pgc_single_no_orphans()
{
	local mode=$1 r_exp r_dereg r_rm r_b1 r_live bad= what r
	pgc_db
	PGC_DB_MODE=$mode pgc_proxy A "${PGC_FAST[@]}" "${PGC_SWEEP[@]}"
	device dereg alice ";$PGC_PT=\"mms.ua\""
	device rm alice ";$PGC_PT=\"ulp.ua\""
	device live alice ";$PGC_PT=\"mms.ua\""
	device b1 bob ";$PGC_PT=\"mms.ua\""
	# three seconds: db_mode 2 writes it within one
	device exp alice ";$PGC_PT=\"mms.ua\""
	register alice "<sip:alice@127.0.0.1:${DEV_PORT[exp]}>;$PGC_PT=\"mms.ua\"" 3
	r_exp=$(pgc_ruid exp)
	r_dereg=$(pgc_ruid dereg)
	r_rm=$(pgc_ruid rm)
	r_live=$(pgc_ruid live)
	r_b1=$(pgc_ruid b1 bob)
	[ -n "$r_exp" ] && [ -n "$r_dereg" ] && [ -n "$r_rm" ] && [ -n "$r_live" ] &&
		[ -n "$r_b1" ] || fail "no ruid in push.caps"
	# (db_mode 2 writes the bindings with the next timer run)
	for what in exp dereg rm live b1; do
		eval "r=\$r_$what"
		pgc_wait 2 pgc_rows_are "$r" "1 1" ||
			fail "rows of binding $what before the test (location, attrs): $(pgc_rows "$r")"
	done
	register alice "<sip:alice@127.0.0.1:${DEV_PORT[dereg]}>" 0
	kam_rpc ul.rm_contact location alice "sip:alice@127.0.0.1:${DEV_PORT[rm]}" \
		>"$T_WORK/rm.out" 2>&1 || fail "ul.rm_contact failed: $(cat "$T_WORK/rm.out")"
	register bob '*' 0
	sleep 3
	send_push p1 alice "$PGC_MMS"
	pgc_expect p1 200 "live" exp dereg rm live
	pgc_wait "$PGC_ROW_WAIT" pgc_gone "$r_exp" "$r_dereg" "$r_rm" "$r_b1" ||
		bad=$(pgc_left exp dereg rm b1)
	[ -z "$bad" ] || fail "rows (location, attrs) left of bindings that are gone:$bad"
	assert_eq "$(pgc_rows "$r_live")" "1 1" "rows of the live binding"
}

test_pgcluster_dbmode1_no_orphan_attrs()
{
	pgc_single_no_orphans 1
}

test_pgcluster_dbmode2_no_orphan_attrs()
{
	pgc_single_no_orphans 2
}

# The sweep runs with db_mode 3 only: in db_mode 1 and 2 usrloc removes the
# rows itself, and a sweep would contend with its SQLite writes (usrloc
# does not retry a write-back that found the database locked).
test_pgcluster_sweep_only_db_mode_3()
{
	kam_start cfg/push-proxy.cfg -A DB_MODE=2 -A ATTRS_SWEEP_INTERVAL=1
	kam_rpc core.psx >"$T_WORK/psx-2"
	assert_no_grep "$T_WORK/psx-2" 'push attrs sweep' "sweep process with db_mode 2"
	assert_grep "$KAM_LOG" "usrloc's db_mode is 2, not 3: no attribute sweep" \
		"the log says why there is no sweep"
	kam_stop
	kam_start cfg/push-proxy.cfg -A DB_MODE=3 -A ATTRS_SWEEP_INTERVAL=1
	kam_rpc core.psx >"$T_WORK/psx-3"
	assert_grep "$T_WORK/psx-3" 'push attrs sweep' "sweep process with db_mode 3"
}
