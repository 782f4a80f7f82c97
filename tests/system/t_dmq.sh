# A cluster of two proxies (cfg/push-proxy.cfg with WITH_DMQ, bindings in
# memory only): a binding stored through one node routes pushes on the
# other with its own feature tags. dmq_usrloc copies the bindings; before
# Kamailio 5.8 it copies no attributes, and the module carries the feature
# sets over its own DMQ peer. Every push checks exactly which devices got
# it. The register, send_push and kam_rpc helpers talk to the node chosen
# with on_node.

DMQ_PT='+g.oma.pusheventapp'
DMQ_MMS=application/vnd.wap.mms-message
DMQ_SMS_APP='X-Wap-Application-Id: x-wap-application:sms.ua'

declare -A NODE_PORT NODE_DMQ NODE_CTL NODE_PID NODE_ID
DMQ_NODES=

# dmq_nodes NAME...: give each node its SIP and DMQ ports (all known
# before any node starts, since each one names another to join through).
dmq_nodes()
{
	local n
	for n in "$@"; do
		free_port || return 1
		NODE_PORT[$n]=$FREE_PORT
		free_port || return 1
		NODE_DMQ[$n]=$FREE_PORT
		NODE_CTL[$n]="$T_CTL/kamailio-$n.ctl"
		DMQ_NODES="$DMQ_NODES $n"
		NODE_ID[$n]=$(echo $DMQ_NODES | wc -w)
	done
	T_CLEANUP="$T_CLEANUP dmq_stop_all"
}

# dmq_start NAME PEER [-A NAME=value ...]: start node NAME, joining the
# cluster through node PEER's DMQ port (PEER may not run yet), logging to
# $T_WORK/kamailio-NAME.log; then on_node NAME.
dmq_start()
{
	local n=$1 peer=$2 db="$T_WORK/location-$1.db"
	shift 2
	"$ROOT/scripts/location-db.sh" "$db" || return 1
	(cd "$ROOT" && exec "$KAM_BIN" -DD -E -w "$ROOT" -f cfg/push-proxy.cfg \
		-m 64 -M 8 "${KAM_PATH_ARGS[@]}" \
		-A WITH_DMQ -A DB_MODE=0 -A "SERVER_ID=${NODE_ID[$n]}" \
		-A "LISTEN_PORT=${NODE_PORT[$n]}" -A "DMQ_PORT=${NODE_DMQ[$n]}" \
		-A "DMQ_NOTIFY=\"sip:127.0.0.1:${NODE_DMQ[$peer]}\"" \
		-A "CTL_SOCKET=\"unix:${NODE_CTL[$n]}\"" \
		-A "DB_URL=\"sqlite:///$db\"" \
		-A "LOG_LEVEL=${KAM_LOG_LEVEL:-2}" "$@" "${KAM_FLAVOUR_ARGS[@]}" \
		>>"$T_WORK/kamailio-$n.log" 2>&1) &
	NODE_PID[$n]=$!
	T_PIDS="$T_PIDS $!"
	wait_for 100 port_listening "${NODE_PORT[$n]}" ||
		fail "node $n did not listen on port ${NODE_PORT[$n]}"
	wait_for 50 test -S "${NODE_CTL[$n]}" ||
		fail "node $n has no control socket"
	on_node "$n"
}

# on_node NAME: direct register, send_push and kam_rpc to node NAME.
on_node()
{
	KAM_PID=${NODE_PID[$1]}
	KAM_PORT=${NODE_PORT[$1]}
	KAM_CTL=${NODE_CTL[$1]}
}

node_rpc()
{
	timeout 10 "$KAMCMD" -s "unix:${NODE_CTL[$1]}" "${@:2}"
}

# Stop every node (test_cleanup): all of them asked at once, then each
# waited for as kam_stop does.
dmq_stop_all()
{
	local n
	for n in $DMQ_NODES; do
		[ -n "${NODE_PID[$n]:-}" ] && kill -TERM "${NODE_PID[$n]}" 2>/dev/null
	done
	for n in $DMQ_NODES; do
		[ -n "${NODE_PID[$n]:-}" ] || continue
		on_node "$n"
		kam_stop
		NODE_PID[$n]=
	done
	KAM_PID=
}

# Node $1 knows node $2 as an active DMQ node.
node_knows()
{
	node_rpc "$1" dmq.list_nodes 2>/dev/null | awk -v port="${NODE_DMQ[$2]}" '
		/port:/ { p = $2 } /status:/ { s = $2 }
		/local:/ { if (p == port && s == "active" && $2 == 0) ok = 1 }
		END { exit !ok }'
}

# dmq_cluster A B: start both nodes, each joining through the other, and
# wait until they know each other.
dmq_cluster()
{
	dmq_nodes "$1" "$2"
	dmq_start "$1" "$2"
	dmq_start "$2" "$1"
	wait_for 50 node_knows "$1" "$2" && wait_for 50 node_knows "$2" "$1" ||
		fail "nodes $1 and $2 did not find each other"
}

# The contact, ruid and tags of AOR $2's bindings on node $1, one line a
# binding ("contact ruid tags"), sorted; nothing if it has none.
node_caps()
{
	node_rpc "$1" push.caps "$2" 2>/dev/null | awk '
		/^[ \t]*contact:/ { c = $2 }
		/^[ \t]*ruid:/ { r = $2 }
		/^[ \t]*tags:/ { sub(/^[ \t]*tags:[ \t]*/, ""); print c, r, $0 }' |
		sort
}

# The tags node $1 holds for the binding of device $2 (of alice), or
# "absent" when it holds no such binding.
dev_tags()
{
	local line
	line=$(node_caps "$1" alice | grep -F "sip:alice@127.0.0.1:${DEV_PORT[$2]} ") || true
	if [ -z "$line" ]; then
		echo absent
	else
		echo "${line#* * }"
	fi
}

dev_tags_are()
{
	[ "$(dev_tags "$1" "$2")" = "$3" ]
}

# expect_tags NODE DEVICE TAGS: wait (bounded) until NODE holds TAGS (""
# for none, "absent" for no binding) for DEVICE's binding.
expect_tags()
{
	wait_for 50 dev_tags_are "$@" ||
		fail "node $1, device $2: tags '$(dev_tags "$1" "$2")', expected '$3'"
}

# rereg DEVICE PARAMS [EXPIRES]: register device DEVICE's binding again
# (through the node on_node chose) with other parameters.
rereg()
{
	register alice "<sip:alice@127.0.0.1:${DEV_PORT[$1]}>$2" "${3:-600}"
}

counts_reached()
{
	local pair
	for pair in "$@"; do
		[ "$(received_count "${pair%=*}")" -ge "${pair#*=}" ] || return 1
	done
}

# expect_counts DEVICE=N...: wait (bounded) until each device got its N
# MESSAGEs so far, a moment for any stray one, then check that each got
# exactly N.
expect_counts()
{
	local pair got
	wait_for 60 counts_reached "$@" || true
	sleep 0.3
	for pair in "$@"; do
		got=$(received_count "${pair%=*}")
		[ "$got" = "${pair#*=}" ] ||
			fail "device ${pair%=*} got $got pushes, expected ${pair#*=}" ||
			return 1
	done
}

# case a: registered through A, pushed through B: only the devices whose
# tags match (and the untagged one, immune to caller preferences).
test_dmq_register_a_push_b()
{
	dmq_cluster A B
	on_node A
	device mms alice ";$DMQ_PT=\"mms.ua\""
	device sms alice ";$DMQ_PT=\"sms.ua\""
	device bare alice ""
	expect_tags B mms ";$DMQ_PT=\"mms.ua\""
	expect_tags B sms ";$DMQ_PT=\"sms.ua\""
	expect_tags B bare ""
	on_node B
	send_push push1 alice "$DMQ_MMS"
	assert_eq "$FINAL" 200 "final response of the push through B"
	expect_counts mms=1 sms=0 bare=1
}

# case f: push.caps on B shows the bindings stored through A as A does:
# same ruid, same tags, an untagged binding with empty (known) tags.
test_dmq_caps_replicated()
{
	dmq_cluster A B
	on_node A
	local uuid='<urn:uuid:00000000-0000-0000-0000-0000000000a1>'
	device mms alice ";$DMQ_PT=\"mms.ua\";+sip.instance=\"$uuid\""
	device bare alice ""
	# every kind of feature value: boolean, token list, numeric, string
	device rich alice ";audio;video=\"FALSE\";methods=\"INVITE,MESSAGE\";+u.rank=\"#>=2.5\";+u.label=\"<Hall 3; B wing, #2 (&north)>\";$DMQ_PT=\"mms.ua,sms.ua\""
	expect_tags B mms ";$DMQ_PT=\"mms.ua\";+sip.instance=\"$uuid\""
	expect_tags B bare ""
	expect_tags B rich "$(dev_tags A rich)"
	node_caps A alice >"$T_WORK/caps-A"
	node_caps B alice >"$T_WORK/caps-B"
	assert_eq "$(wc -l <"$T_WORK/caps-A")" 3 "bindings on A"
	assert_eq "$(cat "$T_WORK/caps-B")" "$(cat "$T_WORK/caps-A")" \
		"push.caps on B against A"
	node_rpc B push.caps alice >"$T_WORK/caps-B.full"
	assert_no_grep "$T_WORK/caps-B.full" 'tags: unknown' "push.caps on B"
	assert_grep "$T_WORK/caps-B.full" "instance: $uuid" \
		"the instance of the binding on B"
}

# case b: refreshed through B with other tags, pushed through A: the new
# tags decide; refreshed through B without tags: the old ones are gone
# and the device, untagged now, gets every push.
test_dmq_refresh_through_other_node()
{
	dmq_cluster A B
	on_node A
	device d1 alice ";$DMQ_PT=\"mms.ua\""
	device d2 alice ";$DMQ_PT=\"sms.ua\""
	expect_tags B d1 ";$DMQ_PT=\"mms.ua\""
	expect_tags B d2 ";$DMQ_PT=\"sms.ua\""
	on_node B
	rereg d1 ";$DMQ_PT=\"sms.ua\""
	expect_tags A d1 ";$DMQ_PT=\"sms.ua\""
	on_node A
	send_push mms1 alice "$DMQ_MMS"
	assert_eq "$FINAL" 480 "an mms.ua push when no device has mms.ua any more"
	send_push sms1 alice text/plain "$DMQ_SMS_APP"
	assert_eq "$FINAL" 200 "final response of the sms.ua push"
	expect_counts d1=1 d2=1
	on_node B
	rereg d1 ""
	expect_tags A d1 ""
	on_node A
	send_push mms2 alice "$DMQ_MMS"
	assert_eq "$FINAL" 200 "final response of the mms.ua push"
	expect_counts d1=2 d2=1
	send_push sms2 alice text/plain "$DMQ_SMS_APP"
	assert_eq "$FINAL" 200 "final response of the second sms.ua push"
	expect_counts d1=3 d2=2
}

# dmq_raw_register CALL-ID CSEQ DEVICE PARAMS: register DEVICE's binding
# (of alice) with this Call-ID and CSeq, through the node on_node chose.
dmq_raw_register()
{
	local rc req="REGISTER sip:127.0.0.1:@DPORT@ SIP/2.0\r\nVia: @VIA@\r\nMax-Forwards: 70\r\nFrom: <sip:alice@push.example.net>;tag=@TAG@\r\nTo: <sip:alice@push.example.net>\r\nCall-ID: $1\r\nCSeq: $2 REGISTER\r\nContact: <sip:alice@127.0.0.1:${DEV_PORT[$3]}>$4\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n"
	rc=$(python3 "$ROOT/tests/system/rawsip.py" --port "$KAM_PORT" -e "$req") ||
		true
	assert_eq "$rc" 200 "REGISTER $1 CSeq $2 of device $3"
}

# A device's periodic refresh (same Call-ID, next CSeq) alternating
# between the nodes, each with other tags, all within a second or two:
# each node ends with the tags of the last one.
test_dmq_refresh_same_call_id_alternating_nodes()
{
	dmq_cluster A B
	free_port
	sipp_device d1 "$FREE_PORT"
	DEV_PORT[d1]=$FREE_PORT
	on_node A
	device d2 alice ";$DMQ_PT=\"sms.ua\""
	dmq_raw_register refresh-d1 1 d1 ";$DMQ_PT=\"mms.ua\""
	expect_tags B d1 ";$DMQ_PT=\"mms.ua\""
	on_node B
	dmq_raw_register refresh-d1 2 d1 ";$DMQ_PT=\"sms.ua\""
	expect_tags A d1 ";$DMQ_PT=\"sms.ua\""
	on_node A
	dmq_raw_register refresh-d1 3 d1 ";$DMQ_PT=\"mms.ua\""
	expect_tags B d1 ";$DMQ_PT=\"mms.ua\""
	expect_tags A d1 ";$DMQ_PT=\"mms.ua\""
	on_node B
	send_push push1 alice "$DMQ_MMS"
	assert_eq "$FINAL" 200 "final response of the push through B"
	expect_counts d1=1 d2=0
}

# case c: B starts after the bindings were stored through A; its full sync
# brings the bindings and their feature sets.
test_dmq_node_joins_later()
{
	dmq_nodes A B
	dmq_start A B
	device mms alice ";$DMQ_PT=\"mms.ua\""
	device sms alice ";$DMQ_PT=\"sms.ua\""
	device bare alice ""
	dmq_start B A
	expect_tags B mms ";$DMQ_PT=\"mms.ua\""
	expect_tags B sms ";$DMQ_PT=\"sms.ua\""
	expect_tags B bare ""
	send_push push1 alice "$DMQ_MMS"
	assert_eq "$FINAL" 200 "final response of the push through B"
	expect_counts mms=1 sms=0 bare=1
}

# case d: one user's devices registered through different nodes; a push
# through either node reaches both matching devices, not the other.
test_dmq_one_user_across_nodes()
{
	dmq_cluster A B
	on_node A
	device a1 alice ";$DMQ_PT=\"mms.ua\""
	device a2 alice ";$DMQ_PT=\"sms.ua\""
	on_node B
	device b1 alice ";$DMQ_PT=\"mms.ua\""
	for n in A B; do
		expect_tags "$n" a1 ";$DMQ_PT=\"mms.ua\""
		expect_tags "$n" a2 ";$DMQ_PT=\"sms.ua\""
		expect_tags "$n" b1 ";$DMQ_PT=\"mms.ua\""
	done
	on_node A
	send_push push-a alice "$DMQ_MMS"
	assert_eq "$FINAL" 200 "final response of the push through A"
	expect_counts a1=1 b1=1 a2=0
	on_node B
	send_push push-b alice "$DMQ_MMS"
	assert_eq "$FINAL" 200 "final response of the push through B"
	expect_counts a1=2 b1=2 a2=0
}

# case e: de-registered through A (a binding stored through B): a push
# through B no longer reaches it.
test_dmq_deregister_through_other_node()
{
	dmq_cluster A B
	on_node B
	device gone alice ";$DMQ_PT=\"mms.ua\""
	on_node A
	device stays alice ";$DMQ_PT=\"mms.ua\""
	expect_tags A gone ";$DMQ_PT=\"mms.ua\""
	expect_tags B stays ";$DMQ_PT=\"mms.ua\""
	rereg gone "" 0
	expect_tags A gone absent
	expect_tags B gone absent
	on_node B
	send_push push1 alice "$DMQ_MMS"
	assert_eq "$FINAL" 200 "final response of the push through B"
	expect_counts stays=1 gone=0
}

# Cluster messages are taken on the DMQ port from DMQ_NET only: from
# elsewhere 403, on the SIP port 405; from inside DMQ_NET dmq answers.
test_dmq_kdmq_only_from_dmq_net()
{
	dmq_nodes A B
	dmq_start A B -A DMQ_NET=127.0.0.2/32
	local kdmq rc
	kdmq='KDMQ sip:notification_peer@127.0.0.1:@DPORT@ SIP/2.0\r\nVia: @VIA@\r\nMax-Forwards: 1\r\nFrom: <sip:127.0.0.1:@LPORT@>;tag=@TAG@\r\nTo: <sip:127.0.0.1:@DPORT@>\r\nCall-ID: @CALLID@\r\nCSeq: 1 KDMQ\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n'
	rc=$(python3 "$ROOT/tests/system/rawsip.py" --src 127.0.0.1 \
		--port "${NODE_DMQ[A]}" -e "$kdmq") || true
	assert_eq "$rc" 403 "KDMQ from outside DMQ_NET"
	rc=$(python3 "$ROOT/tests/system/rawsip.py" --src 127.0.0.2 \
		--port "${NODE_PORT[A]}" -e "$kdmq") || true
	assert_eq "$rc" 405 "KDMQ on the SIP port"
	rc=$(python3 "$ROOT/tests/system/rawsip.py" --src 127.0.0.2 \
		--port "${NODE_DMQ[A]}" -e "$kdmq") || true
	# dmq's notification peer answers an empty node list with 200
	assert_eq "$rc" 200 "KDMQ from inside DMQ_NET"
}

# The same with the routing logic of cfg/push-proxy.lua.
test_dmq_lua_register_a_push_b()
{
	KAM_FLAVOUR_ARGS=(-A WITH_LUA)
	test_dmq_register_a_push_b
}

test_dmq_lua_kdmq_only_from_dmq_net()
{
	KAM_FLAVOUR_ARGS=(-A WITH_LUA)
	test_dmq_kdmq_only_from_dmq_net
}

# push_kdmq NODE BODY: send BODY to the module's DMQ peer on NODE, from
# inside DMQ_NET; the final status code on stdout.
push_kdmq()
{
	local body=$2
	{
		printf 'KDMQ sip:push@127.0.0.1:@DPORT@ SIP/2.0\r\nVia: @VIA@\r\n'
		printf 'Max-Forwards: 1\r\nFrom: <sip:127.0.0.1:@LPORT@>;tag=@TAG@\r\n'
		printf 'To: <sip:127.0.0.1:@DPORT@>\r\nCall-ID: @CALLID@\r\n'
		printf 'CSeq: 1 KDMQ\r\nContent-Type: text/plain\r\n'
		printf 'Content-Length: %d\r\n\r\n%s' "${#body}" "$body"
	} >"$T_WORK/kdmq"
	python3 "$ROOT/tests/system/rawsip.py" --src 127.0.0.1 \
		--port "${NODE_DMQ[$1]}" -f "$T_WORK/kdmq" || true
}

# Hostile feature-set messages on the module's DMQ peer (Kamailio before
# 5.8, where the module carries the sets): a body that is not one of its
# messages, a record over a limit and a request for every set from a
# sender that is not a node are refused with 400; a record with
# a malformed set, or one for another version of the binding, is ignored.
# Whatever the version, none of them changes the tags of a binding.
test_dmq_push_peer_hostile_records()
{
	dmq_cluster A B
	on_node A
	device mms alice ";$DMQ_PT=\"mms.ua\""
	expect_tags B mms ";$DMQ_PT=\"mms.ua\""
	local carrier=0 ruid aor=alice rec rc
	grep -q 'travel over the push DMQ peer' "$T_WORK/kamailio-B.log" && carrier=1
	ruid=$(node_caps B alice | awk '{ print $2 }')
	[ -n "$ruid" ] || fail "no ruid of the binding on B"
	rc=$(push_kdmq B 'hello')
	[ $carrier = 0 ] || assert_eq "$rc" 400 "a body that is no feature-set message"
	# dmq gives the module no node for a sender it does not list
	rc=$(push_kdmq B 'push-fsets/1 sync
')
	[ $carrier = 0 ] || assert_eq "$rc" 400 "a request for every set from outside the cluster"
	rec="push-fsets/1 sets
1 1 0 ${#ruid}:$ruid ${#aor}:$aor 8:location 2:c1 99999:2
"
	rc=$(push_kdmq B "$rec")
	[ $carrier = 0 ] || assert_eq "$rc" 400 "a field length over its limit"
	rec="push-fsets/1 sets
1 1 0 ${#ruid}:$ruid ${#aor}:$aor 8:location 2:c1 9:9garbage!
"
	rc=$(push_kdmq B "$rec")
	[ $carrier = 0 ] || assert_eq "$rc" 200 "a record with a malformed set (ignored)"
	[ $carrier = 0 ] || assert_grep "$T_WORK/kamailio-B.log" \
		"malformed feature set for ruid $ruid" "the malformed set is logged"
	# a well-formed set (none) for a version the binding does not have
	rec="push-fsets/1 sets
1 1 0 ${#ruid}:$ruid ${#aor}:$aor 8:location 2:c1 1:2
"
	rc=$(push_kdmq B "$rec")
	[ $carrier = 0 ] || assert_eq "$rc" 200 "a record of another version"
	expect_tags B mms ";$DMQ_PT=\"mms.ua\""
	on_node B
	send_push push1 alice "$DMQ_MMS"
	assert_eq "$FINAL" 200 "final response of the push through B"
	expect_counts mms=1
}
