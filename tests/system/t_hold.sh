#!/bin/bash
# Store and forward (push_hold()): a push that finds no matching device is
# held in the database, answered 202, and sent to the first device that
# registers with a matching feature tag; it expires on time.

HOLD_PT='+g.oma.pusheventapp'

# hold_start [kamailio args]: the example proxy with WITH_HOLD, its expiry
# timer every second.
hold_start()
{
	kam_start cfg/push-proxy.cfg -A WITH_HOLD -A HOLD_INTERVAL=1 "$@"
}

hold_stat()
{
	kam_rpc stats.get_statistics push: | sed -n "s/^push:$1 = \([0-9]*\)\$/\1/p"
}

# held_rows: the number of rows of the hold table.
held_rows()
{
	sqlite3 "$KAM_DB" "SELECT COUNT(*) FROM push_hold"
}

# held_rows_are N: whether the hold table has N rows (for wait_for, which
# runs it afresh each time).
held_rows_are()
{
	[ "$(held_rows)" = "$1" ]
}

# held_sql QUERY: one query on the test's SQLite database.
held_sql()
{
	sqlite3 "$KAM_DB" "$1"
}

# sent_callid NAME: the Call-ID of the MESSAGE the sipp client NAME sent.
sent_callid()
{
	sed -n 's/^Call-ID: *//p' "$T_WORK/$1.msg" 2>/dev/null | tr -d '\r' | head -n 1
}

# received_callids NAME: the Call-IDs of the MESSAGEs device NAME received,
# in order, on one line.
received_callids()
{
	awk '/^MESSAGE sip:/ { on = 1 }
		on && /^Call-ID:/ { sub(/^Call-ID: */, ""); sub(/\r$/, "");
			printf "%s%s", sep, $0; sep = " "; on = 0 }
		END { print "" }' "$T_WORK/$1.msg" 2>/dev/null
}

# received_at_least NAME N: whether device NAME received N MESSAGEs.
received_at_least()
{
	[ "$(received_count "$1")" -ge "$2" ] 2>/dev/null
}

# hold_device NAME AOR APP: a device answering 200, registered under AOR
# with the feature tag of application APP.
hold_device()
{
	device "$1" "$2" ";$HOLD_PT=\"$3\""
}

# hold_ulp NAME TO: a SUPL push; the example proxy names its application
# (ulp.ua) by its content type.
hold_ulp()
{
	send_push "$1" "$2" application/vnd.omaloc-supl-init
}

# hold_re TEXT: with the characters special in an extended regex escaped.
hold_re()
{
	printf '%s' "$1" | sed 's/[][\\.^$*+?(){}|/]/\\&/g'
}

# held_list [AOR]: push.held as "aor callid app" lines, in the order
# listed.
held_list()
{
	kam_rpc push.held "$@" | tr -d '\t' | awk '
		/^aor: / { a = substr($0, 6) }
		/^callid: / { c = substr($0, 9) }
		/^app: / { p = substr($0, 6) }
		/^}/ { print a, c, p; a = c = p = "" }'
}

hold_mms()
{
	send_push "$1" "$2" application/vnd.wap.mms-message \
		"Accept-Contact: *;$HOLD_PT=\"mms.ua\";require;explicit"
}

# A push for a user without binding is held (202); the device that
# registers later with the matching tag gets it, the one with another tag
# does not.
test_hold_delivered_at_matching_registration()
{
	hold_start
	hold_mms p1 alice
	assert_eq "$FINAL" 202 "final response to the push held"
	assert_eq "$(held_rows)" 1 "rows held"
	free_port
	DEV_SCENARIO=device.xml sipp_device ulp "$FREE_PORT"
	register alice "<sip:alice@127.0.0.1:$FREE_PORT>;$HOLD_PT=\"ulp.ua\""
	free_port
	DEV_SCENARIO=device.xml sipp_device mms "$FREE_PORT"
	register alice "<sip:alice@127.0.0.1:$FREE_PORT>;$HOLD_PT=\"mms.ua\""
	wait_deliveries 1 mms ulp
	assert_eq "$(received_count mms)" 1 "held push at the mms.ua device"
	assert_eq "$(received_count ulp)" 0 "held push at the ulp.ua device"
	wait_for 50 held_rows_are 0 || fail "the delivered push is still held"
	assert_eq "$(hold_stat held_delivered)" 1 "push:held_delivered"
}

# A user with a push held for each of two applications: the SUPL push goes
# to the ulp.ua device when it registers, and only it (the MMS push stays
# held); the MMS push to the mms.ua device when that one registers.
test_hold_two_applications_each_to_its_device()
{
	local mms_id ulp_id
	hold_start
	hold_mms m1 alice
	assert_eq "$FINAL" 202 "final response to the MMS push"
	mms_id=$(sent_callid m1)
	hold_ulp u1 alice
	assert_eq "$FINAL" 202 "final response to the SUPL push"
	ulp_id=$(sent_callid u1)
	[ -n "$mms_id" ] && [ -n "$ulp_id" ] || fail "no Call-ID in the sender's traces"
	assert_eq "$(held_sql "SELECT callid || ' ' || app FROM push_hold ORDER BY id" | tr '\n' ';')" \
		"$mms_id mms.ua;$ulp_id ulp.ua;" "pushes held (Call-ID, application)"
	hold_device ulp alice ulp.ua
	wait_for 50 received_at_least ulp 1 || fail "no held push at the ulp.ua device"
	wait_for 50 held_rows_are 1 || fail "rows held after the SUPL push went: $(held_rows)"
	assert_eq "$(received_callids ulp)" "$ulp_id" "pushes at the ulp.ua device"
	assert_eq "$(held_sql "SELECT callid FROM push_hold")" "$mms_id" "the push still held"
	hold_device mms alice mms.ua
	wait_for 50 received_at_least mms 1 || fail "no held push at the mms.ua device"
	wait_for 50 held_rows_are 0 || fail "rows held after both went: $(held_rows)"
	sleep 0.5
	assert_eq "$(received_callids mms)" "$mms_id" "pushes at the mms.ua device"
	assert_eq "$(received_callids ulp)" "$ulp_id" "pushes at the ulp.ua device in the end"
	assert_eq "$(hold_stat held)" 2 "push:held"
	assert_eq "$(hold_stat held_delivered)" 2 "push:held_delivered"
}

# A push held for two seconds (its Expires header caps hold_expires) is
# removed by the expiry timer, which runs event_route[push:expired] once
# with its Call-ID, AOR and application; a device registering afterwards
# gets nothing of it (and does get a new push, routed directly).
test_hold_expires_with_event_and_is_not_delivered_later()
{
	local id age
	hold_start
	send_push e1 alice application/vnd.wap.mms-message "Expires: 2"
	assert_eq "$FINAL" 202 "final response to the push held"
	id=$(sent_callid e1)
	[ -n "$id" ] || fail "no Call-ID in the sender's trace"
	assert_eq "$(held_sql "SELECT expires - held_at FROM push_hold")" 2 \
		"seconds held (Expires: 2 against HOLD_EXPIRES 86400)"
	wait_for 80 held_rows_are 0 || fail "the push is still held after 8 s"
	wait_for 20 grep -q "held push expired: $id" "$KAM_LOG" ||
		fail "no event_route[push:expired] line"
	assert_grep "$KAM_LOG" \
		"NOTICE: .*held push expired: $(hold_re "$id") for alice \(mms\.ua\) after [0-9]+ s\$" \
		"the event route's line names the Call-ID, AOR and application"
	assert_eq "$(grep -c "held push expired:" "$KAM_LOG")" 1 "expiry events"
	age=$(sed -n 's/.*held push expired: .* after \([0-9]*\) s$/\1/p' "$KAM_LOG")
	[ "$age" -ge 2 ] && [ "$age" -le 10 ] || fail "age of the expired push: $age s"
	assert_eq "$(hold_stat held_expired)" 1 "push:held_expired"
	hold_device mms alice mms.ua
	sleep 1.5
	assert_eq "$(received_count mms)" 0 "MESSAGEs at the device registered after the expiry"
	hold_mms e2 alice
	assert_eq "$FINAL" 200 "final response to a push once the device is there"
	assert_eq "$(received_callids mms)" "$(sent_callid e2)" "pushes at the device"
	assert_eq "$(hold_stat held_delivered)" 0 "push:held_delivered"
}

# Held pushes live in the database: kamailio restarted between the hold
# and the registration still delivers the push.
test_hold_survives_restart()
{
	local id old_pid
	hold_start
	hold_mms r1 alice
	assert_eq "$FINAL" 202 "final response to the push held"
	id=$(sent_callid r1)
	old_pid=$KAM_PID
	kam_stop
	pid_gone "$old_pid" || fail "kamailio $old_pid still runs"
	kam_start_again
	wait_for 150 test -S "$KAM_CTL" || fail "no control socket after the restart"
	[ "$KAM_PID" != "$old_pid" ] || fail "kamailio was not restarted"
	assert_eq "$(held_list alice)" "alice $id mms.ua" "push.held after the restart"
	hold_device mms alice mms.ua
	wait_for 50 received_at_least mms 1 || fail "no held push at the device after the restart"
	wait_for 50 held_rows_are 0 || fail "the delivered push is still held"
	assert_eq "$(received_callids mms)" "$id" "pushes at the device"
	assert_eq "$(hold_stat held_delivered)" 1 "push:held_delivered (since the restart)"
}

# hold_max_per_aor 2: the third push for alice is not held (push_hold()
# -1, the example proxy answers 404 as without hold) and the log says why;
# another user's store is not full.
test_hold_store_limit_per_user()
{
	local id3
	hold_start -A HOLD_MAX_PER_AOR=2
	hold_mms l1 alice
	assert_eq "$FINAL" 202 "final response to the first push"
	hold_mms l2 alice
	assert_eq "$FINAL" 202 "final response to the second push"
	hold_mms l3 alice
	assert_eq "$FINAL" 404 "final response to the third push"
	id3=$(sent_callid l3)
	assert_grep "$KAM_LOG" \
		"hold: 2 pushes held for alice already \(hold_max_per_aor\): push $(hold_re "$id3") not held" \
		"the log says the third push was not held"
	assert_eq "$(held_sql "SELECT callid FROM push_hold ORDER BY id" | tr '\n' ' ')" \
		"$(sent_callid l1) $(sent_callid l2) " "pushes held for alice"
	hold_mms l4 bob
	assert_eq "$FINAL" 202 "final response to a push for bob"
	assert_eq "$(held_sql "SELECT COUNT(*) FROM push_hold WHERE aor = 'bob'")" 1 "pushes held for bob"
	assert_eq "$(hold_stat held)" 3 "push:held"
}

# Anybody may address a push to any user name, existing or not: the whole
# table is bounded too (HOLD_MAX_ROWS), so pushes to made-up users cannot
# fill the database; past it a push is not held (404 in the example).
test_hold_store_limit_whole_table()
{
	hold_start -A HOLD_MAX_ROWS=3
	local u
	for u in nobody1 nobody2 nobody3; do
		hold_mms "t-$u" "$u"
		assert_eq "$FINAL" 202 "final response to a push for $u"
	done
	hold_mms t-nobody4 nobody4
	assert_eq "$FINAL" 404 "final response to the fourth push"
	assert_grep "$KAM_LOG" "hold: 3 pushes held in all already \(hold_max_rows\)" \
		"the log says the table is full"
	assert_eq "$(held_rows)" 3 "rows held"
}

# push.held lists the held pushes (all, or one user's); push.held_drop
# drops one by Call-ID, then all of a user's, answering how many it
# dropped, counted in push:held_dropped. Devices registering afterwards
# get nothing of them; another user's push stays held and is delivered.
test_hold_rpc_list_and_drop()
{
	local d1 d2 d3 d4
	hold_start
	hold_mms d1 alice
	assert_eq "$FINAL" 202 "final response to d1"
	hold_mms d2 alice
	assert_eq "$FINAL" 202 "final response to d2"
	hold_ulp d3 alice
	assert_eq "$FINAL" 202 "final response to d3"
	hold_mms d4 bob
	assert_eq "$FINAL" 202 "final response to d4"
	d1=$(sent_callid d1)
	d2=$(sent_callid d2)
	d3=$(sent_callid d3)
	d4=$(sent_callid d4)
	assert_eq "$(held_list | sort | tr '\n' ';')" \
		"$(printf 'alice %s mms.ua\nalice %s mms.ua\nalice %s ulp.ua\nbob %s mms.ua\n' \
			"$d1" "$d2" "$d3" "$d4" | sort | tr '\n' ';')" "push.held"
	assert_eq "$(held_list alice | sort | tr '\n' ';')" \
		"$(printf 'alice %s mms.ua\nalice %s mms.ua\nalice %s ulp.ua\n' \
			"$d1" "$d2" "$d3" | sort | tr '\n' ';')" "push.held alice"
	kam_rpc push.held alice | tr -d '\t' >"$T_WORK/held.alice"
	assert_grep "$T_WORK/held.alice" '^age: [0-9]+$' "push.held gives the age"
	assert_grep "$T_WORK/held.alice" '^expires: 86[34][0-9][0-9]$' "push.held gives the seconds left"

	assert_eq "$(kam_rpc push.held_drop alice "$d2")" 1 "push.held_drop alice <d2>"
	assert_eq "$(held_list alice | sort | tr '\n' ';')" \
		"$(printf 'alice %s mms.ua\nalice %s ulp.ua\n' "$d1" "$d3" | sort | tr '\n' ';')" \
		"push.held alice after dropping d2"
	assert_eq "$(hold_stat held_dropped)" 1 "push:held_dropped after one"
	assert_eq "$(kam_rpc push.held_drop alice no-such-call-id)" 0 \
		"push.held_drop of a Call-ID not held"
	kam_rpc push.held_drop >"$T_WORK/drop.noargs" 2>&1 || true
	assert_grep "$T_WORK/drop.noargs" '^error: 400 ' "push.held_drop without AOR"
	assert_eq "$(kam_rpc push.held_drop alice)" 2 "push.held_drop alice"
	assert_eq "$(held_list alice)" "" "push.held alice after dropping all"
	assert_eq "$(held_list)" "bob $d4 mms.ua" "push.held after dropping alice's"
	assert_eq "$(hold_stat held_dropped)" 3 "push:held_dropped"

	hold_device mms alice mms.ua
	hold_device ulp alice ulp.ua
	hold_device bob bob mms.ua
	wait_for 50 received_at_least bob 1 || fail "bob's held push was not delivered"
	sleep 1
	assert_eq "$(received_count mms)" 0 "MESSAGEs at alice's mms.ua device"
	assert_eq "$(received_count ulp)" 0 "MESSAGEs at alice's ulp.ua device"
	assert_eq "$(received_callids bob)" "$d4" "pushes at bob's device"
	assert_eq "$(hold_stat held_delivered)" 1 "push:held_delivered"
}

# ---- rows edited by hand ----

# hold_loose_table: the test's database with a hold table as one could
# make it by hand: the same columns without NOT NULL and without declared
# types (but the id's). SQLite then keeps each value with the type it was
# written with, and db_sqlite gives kamailio the type of a column without
# declared type from the first row of each result: NULLs, text in the
# integer columns and a body that is a number reach the module as they
# are (with the declared types of scripts/location-db.sh, NOT NULL refuses
# the NULLs and db_sqlite reads any text of a BIGINT column as a number).
hold_loose_table()
{
	"$ROOT/scripts/location-db.sh" "$T_WORK/location.db" || return 1
	sqlite3 "$T_WORK/location.db" <<-'SQL'
		DROP TABLE push_hold;
		CREATE TABLE push_hold (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
			aor, callid, app, from_uri, to_uri, headers, body, held_at,
			not_before, expires, claimed_by, claimed_until, pap_initiator,
			pap_push_id, pap_address, pap_notify, pap_version, pap_received);
		CREATE INDEX push_hold_aor_idx ON push_hold (aor);
		CREATE INDEX push_hold_expires_idx ON push_hold (expires);
	SQL
}

# The SQL values of a well-formed row held for alice, by column: an MMS
# push held an hour more. Its numbers are text, so that the first row of a
# result (a row of hold_bad_row) makes db_sqlite read the integer columns
# of every row as text, and text that is no number reaches the module.
HOLD_AC="'Accept-Contact: *;$HOLD_PT=\"mms.ua\";require;explicit'"
declare -A HOLD_ROW=(
	[aor]="'alice'"
	[app]="'mms.ua'"
	[from_uri]="'sip:push-sender@pushas.example.net'"
	[to_uri]="'sip:alice@push.example.net'"
	[headers]="$HOLD_AC || char(13,10) || 'Content-Type: application/vnd.wap.mms-message' || char(13,10)"
	[body]="'held by hand'"
	[held_at]="CAST(strftime('%s','now') AS TEXT)"
	[not_before]="'0'"
	[expires]="CAST(strftime('%s','now') + 3600 AS TEXT)"
	[claimed_by]="''"
	[claimed_until]="'0'"
	[pap_initiator]="''"
	[pap_push_id]="''"
	[pap_address]="''"
	[pap_notify]="''"
	[pap_version]="'0'"
	[pap_received]="'0'"
)
HOLD_COLS="aor callid app from_uri to_uri headers body held_at not_before expires claimed_by claimed_until pap_initiator pap_push_id pap_address pap_notify pap_version pap_received"

# hold_pids: the PIDs of kamailio's processes (core.psx), sorted.
hold_pids()
{
	kam_rpc core.psx | tr -d '\t' | sed -n 's/^PID: *\([0-9]*\)$/\1/p' | sort -n
}

# hold_bad_row CALLID [COLUMN SQL-VALUE]...: insert the row of HOLD_ROW
# with Call-ID CALLID and the values given instead of its own.
hold_bad_row()
{
	local callid=$1 col val vals= sep=
	local -A v=()
	shift
	while [ $# -ge 2 ]; do
		v[$1]=$2
		shift 2
	done
	for col in $HOLD_COLS; do
		if [ "$col" = callid ]; then
			val="'$callid'"
		else
			val=${v[$col]-${HOLD_ROW[$col]}}
		fi
		vals="$vals$sep$val"
		sep=", "
	done
	held_sql "INSERT INTO push_hold ($(echo $HOLD_COLS | tr ' ' ,)) VALUES ($vals)"
}

# Rows edited by hand that cannot be sent are skipped, each with a log
# line, at the registration of a device they would go to, and by the
# expiry timer; none reaches a device, kamailio stays up, and the push
# held normally after them is delivered. For alice: NULL or text in the
# integer columns, header lines with a bare LF, with an empty line, of
# garbage bytes (alone, or after a good Accept-Contact), beyond 8 KiB, no
# From URI (NULL or empty), a body beyond 64 KiB, and an expired row
# without held_at; for bob, a body that is a number.
test_hold_malformed_rows_skipped()
{
	local good garbage id
	garbage="CAST(X'01027ffe80c3282067617262616765' AS TEXT) || char(13,10)"
	hold_loose_table
	# readers (the expiry timer reads every second, here through rows of
	# 80 KiB) must not make the delivery's claim fail on a locked database:
	# see test_hold_delivered_although_table_busy_at_registration
	sqlite3 "$T_WORK/location.db" "PRAGMA journal_mode=WAL" >/dev/null
	hold_start
	hold_pids >"$T_WORK/pids.before"
	[ -s "$T_WORK/pids.before" ] || fail "no process list from core.psx"
	# rejected by the checks of a row read back: 10, and the expired row
	# below makes 11
	hold_bad_row bad-not-before-text not_before "'soon'"
	hold_bad_row bad-expires-null expires NULL
	hold_bad_row bad-claimed-until-null claimed_until NULL
	hold_bad_row bad-expires-text expires "'never'"
	hold_bad_row bad-bare-lf headers "$HOLD_AC || char(10) || 'X-A: 1' || char(13,10)"
	hold_bad_row bad-empty-line headers "$HOLD_AC || char(13,10,13,10) || 'X-A: 1' || char(13,10)"
	hold_bad_row bad-headers-long headers \
		"$HOLD_AC || char(13,10) || 'X-Long: ' || hex(zeroblob(4500)) || char(13,10)"
	hold_bad_row bad-from-null from_uri NULL
	hold_bad_row bad-from-empty from_uri "''"
	hold_bad_row bad-body-long body "hex(zeroblob(40000))"
	# header lines that frame well but do not parse: 2
	hold_bad_row bad-garbage headers "$garbage"
	hold_bad_row bad-garbage-after-ac headers "$HOLD_AC || char(13,10) || $garbage"
	# for the expiry timer (numbers, which its SQL compares): 1
	hold_bad_row bad-expired-no-held-at held_at NULL expires 1 claimed_until 0
	# alone in bob's result, so its type is the column's: 1
	hold_bad_row bad-body-number aor "'bob'" to_uri "'sip:bob@push.example.net'" body 42
	hold_mms good alice
	assert_eq "$FINAL" 202 "final response to the push held after the bad rows"
	good=$(sent_callid good)
	assert_eq "$(held_rows)" 15 "rows held"

	hold_device mms alice mms.ua
	hold_device bob bob mms.ua
	wait_for 50 received_at_least mms 1 || fail "the good push was not delivered"
	wait_for 50 grep -aq "held for bob: skipped" "$KAM_LOG" ||
		fail "no log line for bob's row"
	wait_for 30 grep -aq "hold: a malformed row: skipped" "$KAM_LOG" ||
		fail "no log line from the expiry timer"
	sleep 0.5
	assert_eq "$(received_callids mms)" "$good" "pushes at alice's device"
	assert_eq "$(received_count bob)" 0 "MESSAGEs at bob's device"
	assert_eq "$(held_sql "SELECT COUNT(*) FROM push_hold WHERE callid = '$good'")" 0 \
		"the good push still held"
	assert_eq "$(grep -ac 'hold: a malformed row held for alice: skipped' "$KAM_LOG")" 11 \
		"log lines of alice's malformed rows"
	for id in $(held_sql "SELECT id FROM push_hold WHERE callid LIKE 'bad-garbage%'"); do
		assert_grep "$KAM_LOG" "hold: held push $id: its caller preferences cannot be read: skipped" \
			"log line of the garbage header lines of row $id"
	done
	assert_eq "$(grep -ac 'hold: a malformed row held for bob: skipped' "$KAM_LOG")" 1 \
		"log lines of bob's malformed row"
	assert_eq "$(hold_stat held_delivered)" 1 "push:held_delivered"
	assert_eq "$(hold_stat held_expired)" 0 "push:held_expired"
	# kamailio up: its main process, the same processes as before, RPC
	kill -0 "$KAM_PID" || fail "kamailio's main process is gone"
	assert_no_grep "$KAM_LOG" 'exited by a signal|segfault|CRITICAL' "a kamailio process died"
	assert_eq "$(hold_pids | tr '\n' ' ')" "$(tr '\n' ' ' <"$T_WORK/pids.before")" \
		"kamailio's processes (core.psx)"
	for id in $(cat "$T_WORK/pids.before"); do
		kill -0 "$id" || fail "kamailio process $id is gone"
	done
	# and it still holds and delivers
	hold_mms good2 alice
	assert_eq "$FINAL" 200 "final response to a push for the registered device"
}

# A held push reaches the device registering while another reader has the
# hold table (SQLite: a shared lock, as the module's own expiry timer
# takes every hold_interval, or an operator's query or backup): it goes
# once the table is free again, without waiting for the next REGISTER.
test_hold_delivered_although_table_busy_at_registration()
{
	local id reader
	hold_start
	hold_mms b1 alice
	assert_eq "$FINAL" 202 "final response to the push held"
	id=$(sent_callid b1)
	# a read transaction open for two seconds
	{
		echo "BEGIN;"
		echo "SELECT COUNT(*) FROM push_hold;"
		sleep 2
		echo "COMMIT;"
	} | sqlite3 "$KAM_DB" >/dev/null 2>&1 &
	reader=$!
	T_PIDS="$T_PIDS $reader"
	sleep 0.5
	hold_device mms alice mms.ua
	wait_exit "$reader" 50 || true
	wait_for 100 received_at_least mms 1 ||
		fail "the held push did not reach the registered device within 10 s of the table being free ($(held_rows) held; log: $(grep -a 'database is locked' "$KAM_LOG" | head -n 1 | sed 's/^ *//'))"
	assert_eq "$(received_callids mms)" "$id" "pushes at the device"
}

# ---- two proxies on one PostgreSQL database ----

# hold_two_proxies: proxies A and B of t_pgcluster.sh (usrloc db_mode 3,
# a server_id each) on the test's PostgreSQL server, both holding pushes,
# their expiry timers every second.
hold_two_proxies()
{
	pgc_two_proxies -A WITH_HOLD -A HOLD_INTERVAL=1 "$@"
}

hold_pg_rows_are()
{
	[ "$(pgc_sql "select count(*) from push_hold")" = "$1" ]
}

# hold_stat_sum STAT: STAT of push: summed over proxies A and B.
hold_stat_sum()
{
	echo $(($(on A hold_stat "$1") + $(on B hold_stat "$1")))
}

# received_each_once NAME: whether device NAME received no Call-ID twice.
received_each_once()
{
	[ -z "$(received_callids "$1" | tr ' ' '\n' | sed '/^$/d' | sort | uniq -d)" ]
}

# hold_pg_copies N: N copies of each row held now, under Call-IDs of
# their own ("<Call-ID>-copy<k>"), held and expiring as it does.
hold_pg_copies()
{
	pgc_sql "insert into push_hold (aor, callid, app, from_uri, to_uri,
			headers, body, held_at, not_before, expires, claimed_by, claimed_until)
		select aor, callid || '-copy' || k, app, from_uri, to_uri, headers, body,
			held_at, not_before, expires, claimed_by, claimed_until
		from push_hold, generate_series(1, $1) as k"
}

# A push held through proxy A reaches the device registering through B,
# once. Then pushes for bob held through both proxies (and copies of them
# made in the database, 40 in all), and bob's device registering through A
# and B at the same moment: each push reaches it once (a claim lets one
# proxy send it).
test_hold_pgcluster_delivered_once_across_proxies()
{
	local id i port
	hold_two_proxies
	on A hold_mms a1 alice
	assert_eq "$FINAL" 202 "final response to the push held through A"
	id=$(sent_callid a1)
	hold_pg_rows_are 1 || fail "rows held: $(pgc_sql "select count(*) from push_hold")"
	on B hold_device mms alice mms.ua
	wait_for 50 received_at_least mms 1 || fail "no held push at the device registered through B"
	pgc_wait 5 hold_pg_rows_are 0 || fail "the delivered push is still held"
	# a moment for a second copy, and a refresh through either proxy
	on A register alice "<sip:alice@127.0.0.1:${DEV_PORT[mms]}>;$HOLD_PT=\"mms.ua\""
	on B register alice "<sip:alice@127.0.0.1:${DEV_PORT[mms]}>;$HOLD_PT=\"mms.ua\""
	sleep 1
	assert_eq "$(received_callids mms)" "$id" "pushes at the device"
	assert_eq "$(on B hold_stat held_delivered) $(on A hold_stat held_delivered)" "1 0" \
		"push:held_delivered of B and A"

	for i in 1 2 3 4; do
		if [ $((i % 2)) = 1 ]; then on A hold_mms "b$i" bob; else on B hold_mms "b$i" bob; fi
		assert_eq "$FINAL" 202 "final response to push b$i"
	done
	hold_pg_copies 9
	pgc_sql "select callid from push_hold order by callid" >"$T_WORK/held.bob"
	assert_eq "$(wc -l <"$T_WORK/held.bob")" 40 "pushes held for bob"
	free_port
	port=$FREE_PORT
	sipp_device bob "$port"
	# both REGISTERs at once, from sipp clients on distinct ports
	on A register bob "<sip:bob@127.0.0.1:$port>;$HOLD_PT=\"mms.ua\"" &
	T_PIDS="$T_PIDS $!"
	PORT_NEXT=$((PORT_NEXT + 20))
	on B register bob "<sip:bob@127.0.0.1:$port>;$HOLD_PT=\"mms.ua\"" &
	T_PIDS="$T_PIDS $!"
	PORT_NEXT=$((PORT_NEXT + 20))
	wait_for 100 received_at_least bob 40 || fail "pushes at bob's device: $(received_count bob) of 40"
	pgc_wait 5 hold_pg_rows_are 0 || fail "pushes still held for bob"
	sleep 1
	received_callids bob | tr ' ' '\n' | sort >"$T_WORK/received.bob"
	cmp -s "$T_WORK/held.bob" "$T_WORK/received.bob" ||
		fail "pushes at bob's device, each once: $(diff "$T_WORK/held.bob" "$T_WORK/received.bob" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
	assert_eq "$(hold_stat_sum held_delivered)" 41 "push:held_delivered of A and B"
	echo "    note: held pushes sent by A, B: $(grep -ac 'send_held.*sent to <sip:bob' "$T_WORK/A.log")," \
		"$(grep -ac 'send_held.*sent to <sip:bob' "$T_WORK/B.log")" >&2
}

# Pushes held through both proxies for three seconds (and 200 copies made
# in the database, 202 in all, more than one timer run of a proxy takes:
# hold_rows 100) expire once each: one event_route[push:expired] line per
# push over both proxies' logs, and push:held_expired of both sums to
# their number.
test_hold_pgcluster_expiry_announced_once()
{
	hold_two_proxies
	on A send_push x1 alice application/vnd.wap.mms-message "Expires: 3"
	assert_eq "$FINAL" 202 "final response to the push through A"
	on B send_push x2 alice application/vnd.wap.mms-message "Expires: 3"
	assert_eq "$FINAL" 202 "final response to the push through B"
	hold_pg_copies 100
	pgc_sql "select callid from push_hold order by callid" >"$T_WORK/held"
	assert_eq "$(wc -l <"$T_WORK/held")" 202 "pushes held"
	pgc_wait 15 hold_pg_rows_are 0 || fail "pushes still held after 15 s"
	# a moment for a second announcement
	sleep 2
	cat "$T_WORK/A.log" "$T_WORK/B.log" |
		sed -n 's/.*NOTICE: .*held push expired: \([^ ]*\) for alice (mms\.ua) after [0-9]* s$/\1/p' |
		sort >"$T_WORK/announced"
	cmp -s "$T_WORK/held" "$T_WORK/announced" ||
		fail "announcements, one per push: $(diff "$T_WORK/held" "$T_WORK/announced" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
	assert_eq "$(hold_stat_sum held_expired)" 202 "push:held_expired of A and B"
	echo "    note: expiries announced by A, B: $(grep -ac 'held push expired:' "$T_WORK/A.log")," \
		"$(grep -ac 'held push expired:' "$T_WORK/B.log")" >&2
}
