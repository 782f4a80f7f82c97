# Hostile requests against cfg/push-proxy.cfg: header framing that parsers
# split differently, a sender's own Accept-Contact weaker than the stamp,
# caller preferences too costly to match, identities the proxy cannot
# check, and more matching bindings than a request may fork to. Requests
# whose bytes matter are sent by rawsip.py; 127.0.0.2 is inside the trust
# domain (TRUSTED_NET), 127.0.0.1 is not.

HOSTILE_PT='+g.oma.pusheventapp'
HOSTILE_MMS=application/vnd.wap.mms-message
HOSTILE_DEFAULT_ID='P-Asserted-Identity: <sip:mms-push@push.example.net>'
RAWSIP="$ROOT/tests/system/rawsip.py"

# Start line to CSeq of a push to alice, with Python escapes (rawsip.py -e).
HOSTILE_HEAD='MESSAGE sip:alice@push.example.net SIP/2.0\r\nVia: @VIA@\r\nMax-Forwards: 70\r\nFrom: <sip:push-sender@pushas.example.net>;tag=@TAG@\r\nTo: <sip:alice@push.example.net>\r\nCall-ID: @CALLID@\r\nCSeq: 1 MESSAGE\r\n'
# What follows the boundary in the framing cases: the hidden identity, then
# the Content-Type and body of an mms push.
HOSTILE_EVIL='P-Asserted-Identity: <sip:evil@push.example.net>\r\n'
HOSTILE_TAIL='Content-Type: application/vnd.wap.mms-message\r\nContent-Length: 4\r\n\r\npush'

# hostile_stat NAME: the value of push:NAME ("" when there is none).
hostile_stat()
{
	kam_rpc stats.get_statistics push: | sed -n "s/^push:$1 = \([0-9]*\)\$/\1/p"
}

# raw_send NAME SRC REQUEST [rawsip options]: send REQUEST (Python escapes)
# from SRC; RAW_FINAL is the final status code, or "none" when nothing
# final came back. The response is in $T_WORK/NAME.resp, the request as
# sent in $T_WORK/NAME.sent.
raw_send()
{
	local name=$1 src=$2 req=$3
	shift 3
	RAW_FINAL=$(python3 "$RAWSIP" --src "$src" --port "$KAM_PORT" \
		--response "$T_WORK/$name.resp" --sent "$T_WORK/$name.sent" "$@" \
		-e "$req" 2>"$T_WORK/$name.err") || RAW_FINAL=none
}

# ---- 1. header framing from outside the trust domain ----

# hostile_framing AFTER-CSEQ: an mms push to alice from 127.0.0.1 whose
# header section after CSeq is AFTER-CSEQ (Python escapes). It must be
# refused by push_assert_identity() with 400 "Bad framing...", counted in
# framing_refused, and nothing may reach the device.
hostile_framing()
{
	kam_start cfg/push-proxy.cfg
	device dev alice ";$HOSTILE_PT=\"mms.ua\""
	raw_send p1 127.0.0.1 "$HOSTILE_HEAD$1"
	sleep 0.5 # a relayed push would have reached the device by now
	assert_no_grep "$T_WORK/dev.msg" 'evil' \
		"the identity hidden from the proxy reached the device (final $RAW_FINAL)"
	assert_eq "$(received_count dev)" 0 "pushes delivered (final $RAW_FINAL)"
	assert_eq "$RAW_FINAL" 400 "final response"
	assert_grep "$T_WORK/p1.resp" '^SIP/2\.0 400 Bad framing' \
		"reason phrase from \$push(reason)"
	assert_eq "$(hostile_stat framing_refused)" 1 "push:framing_refused"
}

# X-Info ends in a bare LF, then the CRLF Kamailio takes for the end of the
# headers: a CRLF-only parser reads the P-Asserted-Identity as a header.
test_hostile_framing_bare_lf_then_crlf()
{
	hostile_framing "X-Info: a\\n\\r\\n$HOSTILE_EVIL$HOSTILE_TAIL"
}

test_hostile_framing_empty_line_cr()
{
	hostile_framing "X-Info: a\\r\\n\\r$HOSTILE_EVIL$HOSTILE_TAIL"
}

test_hostile_framing_empty_line_lf()
{
	hostile_framing "X-Info: a\\r\\n\\n$HOSTILE_EVIL$HOSTILE_TAIL"
}

test_hostile_framing_lf_lf()
{
	hostile_framing "X-Info: a\\n\\n$HOSTILE_EVIL$HOSTILE_TAIL"
}

# Kamailio reads one X-Info line; a parser splitting at CR reads two.
test_hostile_framing_bare_cr_in_header()
{
	hostile_framing "X-Info: a\\r$HOSTILE_EVIL$HOSTILE_TAIL"
}

# Kamailio unfolds into X-Info; a parser that does not unfold may not.
test_hostile_framing_folded_identity()
{
	hostile_framing "X-Info: a\\r\\n $HOSTILE_EVIL$HOSTILE_TAIL"
}

# The same push in canonical form (CRLF everywhere) is routed as before.
test_hostile_framing_canonical_delivered()
{
	kam_start cfg/push-proxy.cfg
	device dev alice ";$HOSTILE_PT=\"mms.ua\""
	raw_send p1 127.0.0.1 "${HOSTILE_HEAD}X-Info: a\\r\\n$HOSTILE_TAIL"
	assert_eq "$RAW_FINAL" 200 "final response"
	wait_deliveries 1 dev
	assert_eq "$(received_count dev)" 1 "pushes delivered"
	assert_eq "$(hostile_stat framing_refused)" 0 "push:framing_refused"
}

# push_check_framing() on REGISTER, from either side of the trust domain:
# a bare LF between two header lines gets 400 and stores no binding.
test_hostile_framing_register_bare_lf()
{
	kam_start cfg/push-proxy.cfg
	free_port
	local src req n=0
	for src in 127.0.0.1 127.0.0.2; do
		n=$((n + 1))
		req="REGISTER sip:127.0.0.1:$KAM_PORT SIP/2.0\\r\\nVia: @VIA@\\r\\nMax-Forwards: 70\\r\\nFrom: <sip:alice@push.example.net>;tag=@TAG@\\r\\nTo: <sip:alice@push.example.net>\\r\\nCall-ID: @CALLID@\\r\\nCSeq: 1 REGISTER\\r\\nContact: <sip:alice@127.0.0.1:$FREE_PORT>;$HOSTILE_PT=\"mms.ua\"\\r\\nUser-Agent: x\\nExpires: 600\\r\\nContent-Length: 0\\r\\n\\r\\n"
		raw_send "r$n" "$src" "$req"
		assert_eq "$RAW_FINAL" 400 "final response to the REGISTER from $src"
		assert_grep "$T_WORK/r$n.resp" '^SIP/2\.0 400 Bad framing' \
			"reason phrase from \$push(reason)"
	done
	kam_rpc push.caps alice >"$T_WORK/caps" 2>&1 || true
	assert_grep "$T_WORK/caps" '404 - AOR not found' "bindings of alice (push.caps)"
	kam_rpc ul.dump >"$T_WORK/ul.dump"
	assert_no_grep "$T_WORK/ul.dump" 'sip:alice@' "binding in ul.dump"
}

# ---- 2. the stamp is a floor ----

# The sender's own mms.ua value without require or explicit does not let
# the push reach a device registered for another application only.
test_hostile_stamp_floor_weaker_value()
{
	kam_start cfg/push-proxy.cfg
	device ulp alice ";$HOSTILE_PT=\"ulp.ua\""
	send_push p1 alice "$HOSTILE_MMS" "Accept-Contact: *;$HOSTILE_PT=\"mms.ua\""
	sleep 0.3
	assert_eq "$(received_count ulp)" 0 "mms pushes at the ulp.ua device"
	assert_eq "$FINAL" 480 "final response"
}

# With require but not explicit, a device with other feature tags matches
# implicitly: the stamp (require;explicit) must still be added.
test_hostile_stamp_floor_require_without_explicit()
{
	kam_start cfg/push-proxy.cfg
	device audio alice ';audio'
	send_push p1 alice "$HOSTILE_MMS" "Accept-Contact: *;$HOSTILE_PT=\"mms.ua\";require"
	sleep 0.3
	assert_eq "$(received_count audio)" 0 "mms pushes at the audio device"
	assert_eq "$FINAL" 480 "final response"
}

# A value at least as strict as the stamp: no second one.
test_hostile_stamp_floor_strict_value_not_duplicated()
{
	kam_start cfg/push-proxy.cfg
	device mms alice ";$HOSTILE_PT=\"mms.ua\""
	send_push p1 alice "$HOSTILE_MMS" \
		"Accept-Contact: *;$HOSTILE_PT=\"mms.ua\";require;explicit"
	assert_eq "$FINAL" 200 "final response"
	wait_deliveries 1 mms
	assert_eq "$(received_count mms)" 1 "pushes delivered"
	assert_eq "$(received_message mms | tr -d '\r' |
		grep -ciE '^(accept-contact|a)[ \t]*:.*mms\.ua')" 1 \
		"Accept-Contact lines naming mms.ua at the device"
}

# ---- 3. the work budget of one push_lookup() ----

test_hostile_match_budget_503()
{
	kam_start cfg/push-proxy.cfg -A MATCH_BUDGET=500
	free_port
	local port=$FREE_PORT i v r ranges contacts hdrs=""
	sipp_device dev "$port"
	contacts=''
	for i in $(seq 1 8); do
		contacts="$contacts${contacts:+, }<sip:alice-$i@127.0.0.1:$port>;$HOSTILE_PT=\"mms.ua\";+u.x=\"#1:2,#5:6,#9:10,#13:14,#17:18,#21:22,#25:26,#29:30\""
	done
	register alice "$contacts"
	# 8 Accept-Contact values of 20 ranges each, disjoint from the bindings'
	for v in $(seq 0 7); do
		ranges=''
		for r in $(seq 0 19); do
			i=$((101 + v * 100 + r * 4))
			ranges="$ranges${ranges:+,}#$i:$((i + 1))"
		done
		hdrs="${hdrs}Accept-Contact: *;+u.x=\"$ranges\"\\r\\n"
	done
	raw_send p1 127.0.0.1 "$HOSTILE_HEAD$hdrs$HOSTILE_TAIL"
	sleep 0.5
	assert_eq "$(received_count dev)" 0 "pushes delivered (final $RAW_FINAL)"
	assert_eq "$RAW_FINAL" 503 "final response"
	assert_grep "$T_WORK/p1.resp" '^Retry-After: *[0-9]+' "Retry-After of the 503"
	[ "$(hostile_stat budget_exceeded)" -ge 1 ] 2>/dev/null ||
		fail "push:budget_exceeded is '$(hostile_stat budget_exceeded)', not >= 1"
	# an ordinary push still goes through
	send_push p2 alice "$HOSTILE_MMS"
	assert_eq "$FINAL" 200 "final response to an ordinary mms push"
}

# ---- 4. identities the proxy cannot check fail closed ----

# hostile_tcp_device NAME PORT: a device (device.xml) on TCP PORT.
hostile_tcp_device()
{
	(cd "$T_WORK" && exec timeout 40 sipp -sf "$SCEN/device.xml" -nostdin \
		-t t1 -i 127.0.0.1 -p "$2" -timeout 30s \
		-trace_msg -message_file "$1.msg" \
		-trace_err -error_file "$1.err" >"$1.out" 2>&1) &
	T_PIDS="$T_PIDS $!"
	wait_for 50 hostile_tcp_listening "$2"
}

hostile_tcp_listening()
{
	[ -n "$(ss -Hlnt "( sport = :$1 )" 2>/dev/null)" ]
}

# From inside the trust domain: a P-Asserted-Identity too long for the
# module to police, and a P-Preferred-Identity that is not ours. The
# device (on UDP, and on TCP for a relayed request over udp_mtu) gets the
# default identity and nothing else, or the push is refused with 500.
test_hostile_identity_overlong_fails_closed()
{
	kam_start cfg/push-proxy.cfg
	free_port
	local port=$FREE_PORT long seen
	sipp_device dev "$port"
	hostile_tcp_device devtcp "$port"
	register alice "<sip:alice@127.0.0.1:$port>"
	long=$(printf 'a%.0s' $(seq 1 1100))
	SIPP_SRC=127.0.0.2 send_push p1 alice text/plain "$(printf '%s\r\n%s' \
		"P-Asserted-Identity: <sip:$long@push.example.net>" \
		'P-Preferred-Identity: <sip:bob@push.example.net>')"
	sleep 0.5
	seen=$(cat "$T_WORK/dev.msg" "$T_WORK/devtcp.msg" 2>/dev/null | tr -d '\r' |
		grep -iE '^(P-Asserted-Identity|P-Preferred-Identity)[ \t]*:' || true)
	printf '%s\n' "$seen" | grep -q 'aaaaaaaaaa' &&
		fail "the over-long P-Asserted-Identity reached the device (final $FINAL)"
	printf '%s\n' "$seen" | grep -qi '^P-Preferred-Identity' &&
		fail "a P-Preferred-Identity reached the device (final $FINAL)"
	case $FINAL in
	200)
		assert_eq "$seen" "$HOSTILE_DEFAULT_ID" "identity headers at the device"
		;;
	500)
		assert_eq "$(($(received_count dev) + $(received_count devtcp)))" 0 \
			"pushes delivered with a 500"
		;;
	*) fail "final response '$FINAL', expected 200 (default identity) or 500" ;;
	esac
}

# ---- 5. more matching bindings than a request forks to ----

# The distinct Request-URIs of the MESSAGEs a device received.
hostile_branches_at()
{
	grep -a '^MESSAGE sip:' "$T_WORK/$1.msg" 2>/dev/null | sort -u | wc -l
}

test_hostile_branch_limit()
{
	kam_start cfg/push-proxy.cfg -A MAX_CONTACTS=20
	free_port
	local port=$FREE_PORT i contacts='' cid tries=30
	sipp_device dev "$port"
	for i in $(seq 1 14); do
		contacts="$contacts${contacts:+, }<sip:alice-$i@127.0.0.1:$port>;$HOSTILE_PT=\"mms.ua\""
	done
	register alice "$contacts"
	kam_rpc push.caps alice >"$T_WORK/caps"
	assert_grep "$T_WORK/caps" 'bindings: 14' "bindings of alice"
	send_push p1 alice "$HOSTILE_MMS"
	assert_eq "$FINAL" 200 "final response"
	while [ "$(hostile_branches_at dev)" -lt 12 ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	sleep 0.5
	# (one SIPp process: the branches share the Call-ID, so it answers the
	# first only and tm retransmits the others; count branches, by URI)
	assert_eq "$(hostile_branches_at dev)" 12 "MESSAGE branches at the devices"
	cid=$(tr -d '\r' <"$T_WORK/p1.msg" | sed -n 's/^Call-ID: *//p' | head -n 1)
	grep -F -- "$cid" "$T_WORK/kamailio.log" >"$T_WORK/p1.kamlog" || true
	assert_no_grep "$T_WORK/p1.kamlog" 'ERROR' "ERROR lines of the push in kamailio.log"
	assert_eq "$(grep -i 'branches' "$T_WORK/p1.kamlog" | grep -c 'dropped')" 1 \
		"log lines of the push about the dropped bindings"
	assert_eq "$(hostile_stat branches_dropped)" 2 "push:branches_dropped"
}
