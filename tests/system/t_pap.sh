# The PAP front end (OMA Push Access Protocol over HTTP, pap-notes.md):
# a Push Initiator (pap_pi.py submit/status/cancel/raw) POSTs PAP documents
# to cfg/push-proxy.cfg started with WITH_PAP; the module sends each push as
# a MESSAGE through the proxy to the registered devices, and POSTs a result
# notification to the initiator's listener (pap_pi.py listen).
#
# Devices: where a test compares the pushed body byte for byte (binary MMS
# and SUPL bodies with NUL bytes), the device is rawdevice.py, which keeps
# each MESSAGE as it came: SIPp's -trace_msg log stops at the first NUL
# byte. Everywhere else the device is SIPp (lib.sh's device, text bodies).
#
# The initiators: PAP_INITIATOR is the cfg's default (pi / secret,
# identity sip:pi@push.example.net, apps mms.ua and ulp.ua); PAP_INITIATOR2,
# where a test defines it, is pi2 / secret2, sip:pi2@push.example.net,
# allowed mms.ua only.

PAP="$ROOT/tests/system/pap_pi.py"
PAP_RAWDEV="$ROOT/tests/system/rawdevice.py"
PAP_PT='+g.oma.pusheventapp'
PAP_MMS=application/vnd.wap.mms-message
PAP_SUPL=application/vnd.omaloc-supl-init
PAP_PI2='name=pi2;password=secret2;identity=sip:pi2@push.example.net;apps=mms.ua'
PAP_MSISDN=+15551230001
PAP_PLMN="WAPPUSH=$PAP_MSISDN/TYPE=PLMN@ppg.example.net"
PAP_ALICE='WAPPUSH=alice/TYPE=USER'
# pap-notes TV-1: a 49-byte m-notification-ind (NUL bytes inside and last)
PAP_TV1_HEX='8c 82 98 54 31 00 8d 92 8a 80 8e 02 10 00 88 04 81 02 0e 10 83
68 74 74 70 3a 2f 2f 6d 6d 73 63 2e 65 78 61 6d 70 6c 65 2e 6e 65 74 2f 6d
2f 31 00'
# pap-notes TV-2: 11 opaque SUPL bytes, the first one NUL
PAP_TV2_HEX='00 00 40 00 05 a0 b1 c2 d3 e4 f5'
PAP_FUTURE=2099-01-01T00:00:00Z
PAP_PAST=2001-01-01T00:00:00Z
# The credentials of every PAP request (an array; a test may change it).
PAP_AUTH=(--user pi --password secret)

# ---- the proxy and the initiator's side ----

# pap_start [kamailio args]: the proxy with the PAP front end on a TCP port
# of its own (PAP_PORT; PAP_URL is its /pap).
pap_start()
{
	free_port || return 1
	PAP_PORT=$FREE_PORT
	PAP_URL="http://127.0.0.1:$PAP_PORT/pap"
	kam_start cfg/push-proxy.cfg -A WITH_PAP -A "PAP_PORT=$PAP_PORT" "$@"
	wait_for 100 pap_tcp_listening "$PAP_PORT" ||
		fail "kamailio does not listen for PAP on TCP port $PAP_PORT"
}

pap_tcp_listening()
{
	[ -n "$(ss -Hlnt "( sport = :$1 )" 2>/dev/null)" ]
}

# pap_listen: the initiator's notification
# listener; PAP_NOTIFY_URL is where it listens, each notification lands in
# $PAP_NOTIFY_DIR/notify-N.xml (headers: notify-N.hdr).
pap_listen()
{
	free_port || return 1
	PAP_NOTIFY_PORT=$FREE_PORT
	PAP_NOTIFY_DIR="$T_WORK/notify"
	PAP_NOTIFY_URL="http://127.0.0.1:$PAP_NOTIFY_PORT/pap-notify"
	python3 "$PAP" listen --port "$PAP_NOTIFY_PORT" --dir "$PAP_NOTIFY_DIR" \
		--lifetime 120 2>"$T_WORK/listener.log" &
	PAP_LISTEN_PID=$!
	T_CLEANUP="$T_CLEANUP pap_listen_stop"
	wait_for 50 test -e "$PAP_NOTIFY_DIR/ready" ||
		fail "the notification listener did not start"
}

pap_listen_stop()
{
	[ -n "${PAP_LISTEN_PID:-}" ] || return 0
	kill -TERM "$PAP_LISTEN_PID" 2>/dev/null
	wait_for 30 pid_gone "$PAP_LISTEN_PID" || kill -KILL "$PAP_LISTEN_PID" 2>/dev/null
	wait "$PAP_LISTEN_PID" 2>/dev/null
	PAP_LISTEN_PID=
}

# The number of notifications the listener got.
pap_notify_count()
{
	count_files "${PAP_NOTIFY_DIR:-/nonexistent}" 'notify-*.xml'
}

pap_notify_at_least()
{
	[ "$(pap_notify_count)" -ge "$1" ]
}

# pap_wait_notifications N [TENTHS]: wait (bounded, default 10 s) for N
# notifications, then a moment for any more that should not come; fails
# unless exactly N came.
pap_wait_notifications()
{
	wait_for "${2:-100}" pap_notify_at_least "$1" || true
	sleep 0.5
	assert_eq "$(pap_notify_count)" "$1" "result notifications at the listener"
}

# pap_doc FILE: the elements and attributes of the XML document FILE, one
# "element" line per element and one "element@attribute=value" line per
# attribute (pap_pi.py attrs), kept in FILE.attrs; fails when FILE is not
# a well-formed document or declares an entity.
pap_doc()
{
	python3 "$PAP" attrs "$1" >"$1.attrs" 2>"$1.attrs.err" ||
		fail "$(basename "$1") is no well-formed XML document" \
			"($(cat "$1.attrs.err"))"
}

# pap_val FILE ELEMENT@ATTRIBUTE: the values in pap_doc's FILE.attrs.
pap_val()
{
	sed -n "s/^$2=//p" "$1.attrs"
}

# pap_count FILE ELEMENT: how many ELEMENTs FILE.attrs has.
pap_count()
{
	grep -cx -- "$2" "$1.attrs" || true
}

# pap_notification_for ADDRESS-VALUE: the notification files naming it.
pap_notification_for()
{
	local f
	for f in "$PAP_NOTIFY_DIR"/notify-*.xml; do
		[ -e "$f" ] || continue
		[ -e "$f.attrs" ] || pap_doc "$f"
		[ "$(pap_val "$f" address@address-value)" = "$1" ] && echo "$f"
	done
	return 0
}

# pap_check_notification ADDRESS-VALUE PUSH-ID STATE CODE: exactly one
# notification names the address, with that push-id, message-state and
# code, both times, and it came as an application/xml POST to our path.
pap_check_notification()
{
	local addr=$1 files f hdr ts='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
	files=$(pap_notification_for "$addr")
	assert_eq "$(printf '%s' "$files" | grep -c .)" 1 \
		"notifications naming $addr"
	f=$files
	hdr=${f%.xml}.hdr
	assert_eq "$(pap_count "$f" resultnotification-message)" 1 \
		"resultnotification-message elements in $(basename "$f")"
	assert_eq "$(pap_count "$f" address)" 1 "addresses in $(basename "$f")"
	assert_eq "$(pap_val "$f" resultnotification-message@push-id)" "$2" \
		"push-id of the notification for $addr"
	assert_eq "$(pap_val "$f" resultnotification-message@message-state)" "$3" \
		"message-state of the notification for $addr"
	assert_eq "$(pap_val "$f" resultnotification-message@code)" "$4" \
		"code of the notification for $addr"
	pap_val "$f" resultnotification-message@event-time | grep -Eq "$ts" ||
		fail "event-time of the notification for $addr is no UTC timestamp"
	pap_val "$f" resultnotification-message@received-time | grep -Eq "$ts" ||
		fail "received-time of the notification for $addr is no UTC timestamp"
	assert_eq "$(head -n 1 "$hdr" | tr -d '\r')" "POST /pap-notify HTTP/1.1" \
		"request line of the notification"
	tr -d '\r' <"$hdr" | grep -Eiq '^content-type: *application/xml *(;.*)?$' ||
		fail "the notification is not application/xml"
}

# pap_http CMD NAME [pap_pi.py args]: one PAP request (CMD submit, status,
# cancel or raw) with PAP_AUTH; PAP_STATUS is the HTTP status ("none" when
# no answer came). Answer body: $T_WORK/NAME.xml, headers NAME.hdr, the
# request as sent NAME.sent.
pap_http()
{
	local cmd=$1 name=$2
	shift 2
	if python3 "$PAP" "$cmd" --url "${PAP_REQ_URL:-$PAP_URL}" "${PAP_AUTH[@]}" \
		--out "$T_WORK/$name.xml" --headers "$T_WORK/$name.hdr" \
		--sent "$T_WORK/$name.sent" "$@" >"$T_WORK/$name.out" \
		2>"$T_WORK/$name.err"; then
		PAP_STATUS=$(head -n 1 "$T_WORK/$name.out")
	else
		PAP_STATUS=none
	fi
}

pap_submit()
{
	pap_http submit "$@"
}

# pap_mms NAME PUSH-ID ADDRESS... [-- more submit args]: an mms.ua push of
# a short text body (SIPp devices show it whole), PAP 2.1.
pap_mms()
{
	local name=$1 id=$2 args=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		args+=(--address "$1")
		shift
	done
	[ $# -eq 0 ] || shift
	pap_submit "$name" --push-id "$id" "${args[@]}" \
		--app-id x-wap-application:mms.ua --content-type "$PAP_MMS" \
		--body-text "mms-push $id" "$@"
}

PAP_DOCTYPE_1_0='"-//WAPFORUM//DTD PAP//EN"'
PAP_DOCTYPE_2_0='"-//WAPFORUM//DTD PAP 2.0//EN"'
PAP_DOCTYPE_2_1='"-//WAPFORUM//DTD PAP 2.1//EN"'

# pap_expect NAME VERSION ELEMENT CODE: request NAME got HTTP 202 with an
# application/xml PAP document in VERSION's DOCTYPE ("-": not checked)
# whose ELEMENT (exactly one) has that code. Its elements and attributes
# are then in $T_WORK/NAME.xml.attrs (pap_val, pap_count).
pap_expect()
{
	local name="$1${PAP_CTX:+ ($PAP_CTX)}" v=$2 el=$3 code=$4 f="$T_WORK/$1.xml" dt
	assert_eq "$PAP_STATUS" 202 "$name: HTTP status"
	tr -d '\r' <"$T_WORK/$1.hdr" |
		grep -Eiq '^content-type: *application/xml *(;.*)?$' ||
		fail "$name: the answer is not application/xml"
	if [ "$v" != - ]; then
		case "$v" in
		1.0) dt=$PAP_DOCTYPE_1_0 ;;
		2.0) dt=$PAP_DOCTYPE_2_0 ;;
		*) dt=$PAP_DOCTYPE_2_1 ;;
		esac
		assert_eq "$(grep -c '<!DOCTYPE' "$f")" 1 "$name: DOCTYPEs in the answer"
		grep -qF -- "$dt" "$f" || fail "$name: the answer's DOCTYPE is not PAP $v"
	fi
	pap_doc "$f"
	assert_eq "$(pap_count "$f" "$el")" 1 "$name: $el elements"
	assert_eq "$(pap_val "$f" "$el@code")" "$code" "$name: code of $el"
}

# pap_stat NAME: the value of push:NAME.
pap_stat()
{
	kam_rpc stats.get_statistics push: | sed -n "s/^push:$1 = \([0-9]*\)\$/\1/p"
}

# No MESSAGE reaches a device within this time after an answer that
# accepted nothing (a push reaches a device in a few milliseconds).
pap_settle()
{
	sleep 1
}

# ---- devices ----

# pap_rawdevice NAME AOR PARAMS [CODE]: start rawdevice.py answering CODE
# (default 200) and register its binding <sip:AOR@127.0.0.1:port>PARAMS.
pap_rawdevice()
{
	local name=$1 dir="$T_WORK/$1.dev"
	free_port || return 1
	# shellcheck disable=SC2153 # KAM_PORT: lib.sh's kam_start
	python3 "$PAP_RAWDEV" --proxy-port "$KAM_PORT" --port "$FREE_PORT" \
		--user "$2" --params "$3" --dir "$dir" --code "${4:-200}" \
		--lifetime 90 2>"$T_WORK/$name.dev.err" &
	T_PIDS="$T_PIDS $!"
	wait_for 120 pap_rawdevice_done "$dir" || true
	[ -e "$dir/registered" ] || fail "REGISTER of $2 by device $name:" \
		"$(cat "$dir/register-failed" 2>/dev/null || echo no answer)"
}

pap_rawdevice_done()
{
	[ -e "$1/registered" ] || [ -e "$1/register-failed" ]
}

pap_raw_got()
{
	[ "$(raw_count "$1")" -gt 0 ]
}

# pap_raw_wait N NAME...: wait (bounded) until N of the rawdevices got a
# MESSAGE, then a moment for any that should not get one.
pap_raw_wait()
{
	wait_devices "$1" pap_raw_got 0.5 "${@:2}"
}

# pap_check_push_headers FILE WHO APP CTYPE [IDENTITY]: the start line and
# headers of a MESSAGE a device got (CRs removed) carry exactly one
# P-Asserted-Identity, the initiator's, no P-Preferred-Identity, exactly
# one Accept-Contact, the app's stamp, exactly one Content-Type CTYPE, and
# a From of the initiator's identity.
pap_check_push_headers()
{
	local f=$1 who=$2 id=${5:-sip:pi@push.example.net}
	assert_eq "$(grep -ci '^p-asserted-identity:' "$f")" 1 \
		"$who: P-Asserted-Identity headers"
	assert_eq "$(grep -i '^p-asserted-identity:' "$f")" \
		"P-Asserted-Identity: <$id>" "$who: P-Asserted-Identity"
	assert_eq "$(grep -ci '^p-preferred-identity:' "$f")" 0 \
		"$who: P-Preferred-Identity headers"
	assert_eq "$(grep -ciE '^(accept-contact|a):' "$f")" 1 \
		"$who: Accept-Contact headers"
	assert_eq "$(grep -iE '^(accept-contact|a):' "$f")" \
		"Accept-Contact: *;$PAP_PT=\"$3\";require;explicit" "$who: Accept-Contact"
	assert_eq "$(grep -ciE '^(content-type|c):' "$f")" 1 \
		"$who: Content-Type headers"
	assert_eq "$(grep -iE '^(content-type|c):' "$f")" "Content-Type: $4" \
		"$who: Content-Type"
	grep -Eiq "^(from|f): *([^<]*<)?${id//./\\.}[>;]" "$f" ||
		fail "$who: From is not the initiator's identity $id"
}

# pap_check_raw_push NAME APP CTYPE BODY-FILE: rawdevice NAME got exactly
# one MESSAGE, with pap_check_push_headers' headers and BODY-FILE's bytes
# as its body.
pap_check_raw_push()
{
	local dir="$T_WORK/$1.dev"
	assert_eq "$(raw_count "$1")" 1 "MESSAGEs at device $1"
	tr -d '\r' <"$dir/msg-1.hdr" >"$dir/msg-1.txt"
	pap_check_push_headers "$dir/msg-1.txt" "device $1" "$2" "$3"
	cmp -s "$dir/msg-1.body" "$4" || fail "device $1: body differs from" \
		"$(basename "$4") ($(od -An -tx1 "$dir/msg-1.body" | tr -d '\n'))"
}

# ---- pushes and their delivery ----

# PAP 2.0, TV-1: an MMS notification, base64 in the request, to a PLMN
# address reaches exactly the two devices registered for mms.ua (one of
# them also for ulp.ua), not the ulp.ua one; each gets the 49 bytes, the
# initiator's identity and the stamp; the initiator is told "delivered".
test_pap_v20_mms_plmn_reaches_mms_devices()
{
	pap_start
	pap_listen
	pap_rawdevice mms "$PAP_MSISDN" ";$PAP_PT=\"mms.ua\""
	pap_rawdevice ulp "$PAP_MSISDN" ";$PAP_PT=\"ulp.ua\""
	pap_rawdevice both "$PAP_MSISDN" ";$PAP_PT=\"mms.ua,ulp.ua\""
	python3 "$PAP" unhex "$PAP_TV1_HEX" "$T_WORK/tv1.bin"
	pap_submit p1 --version 2.0 --push-id mms-0001@mmsc.example.net \
		--address "$PAP_PLMN" --notify "$PAP_NOTIFY_URL" \
		--deliver-before "$PAP_FUTURE" --source-reference mmsc-1 \
		--priority high --delivery-method confirmed \
		--app-id x-wap-application:mms.ua --content-type "$PAP_MMS" \
		--body-file "$T_WORK/tv1.bin" --base64
	pap_expect p1 2.0 response-result 1001
	assert_eq "$(pap_val "$T_WORK/p1.xml" push-response@push-id)" \
		mms-0001@mmsc.example.net "push-id of the push-response"
	pap_raw_wait 2 mms ulp both
	assert_eq "$(raw_count ulp)" 0 "MESSAGEs at the ulp.ua device"
	pap_check_raw_push mms mms.ua "$PAP_MMS" "$T_WORK/tv1.bin"
	pap_check_raw_push both mms.ua "$PAP_MMS" "$T_WORK/tv1.bin"
	pap_wait_notifications 1
	pap_check_notification "$PAP_PLMN" mms-0001@mmsc.example.net delivered 1000
}

# PAP 2.1, the same body sent binary (no Content-Transfer-Encoding) and the
# application named by its OMNA number (4 = mms.ua): the same devices get
# the same bytes. The ulp.ua device is SIPp (it must get nothing).
test_pap_v21_mms_binary_body_reaches_mms_devices()
{
	pap_start
	pap_rawdevice mms "$PAP_MSISDN" ";$PAP_PT=\"mms.ua\""
	device ulp "$PAP_MSISDN" ";$PAP_PT=\"ulp.ua\""
	pap_rawdevice both "$PAP_MSISDN" ";$PAP_PT=\"ulp.ua,mms.ua\""
	python3 "$PAP" unhex "$PAP_TV1_HEX" "$T_WORK/tv1.bin"
	pap_submit p1 --version 2.1 --push-id mms-0002@mmsc.example.net \
		--address "WAPPUSH=$PAP_MSISDN/TYPE=PLMN" --app-id 4 \
		--content-type "$PAP_MMS" --body-file "$T_WORK/tv1.bin"
	pap_expect p1 2.1 response-result 1001
	pap_raw_wait 2 mms both
	assert_eq "$(received_count ulp)" 0 "MESSAGEs at the ulp.ua device"
	pap_check_raw_push mms mms.ua "$PAP_MMS" "$T_WORK/tv1.bin"
	pap_check_raw_push both mms.ua "$PAP_MMS" "$T_WORK/tv1.bin"
}

# TV-2: a SUPL INIT (first byte NUL), base64, application 16 (0x10 =
# ulp.ua), to a SIP URI in a TYPE=USER address: only the ulp.ua device of
# alice gets it, byte for byte; the mms.ua one (SIPp) nothing.
test_pap_v21_supl_to_sip_uri_reaches_ulp_device()
{
	pap_start
	pap_rawdevice ulp alice ";$PAP_PT=\"ulp.ua\""
	device mms alice ";$PAP_PT=\"mms.ua\""
	python3 "$PAP" unhex "$PAP_TV2_HEX" "$T_WORK/tv2.bin"
	pap_submit p1 --version 2.1 --push-id slp-77@slp.example.net \
		--address 'WAPPUSH=sip%3Aalice%40push.example.net/TYPE=USER@ppg.example.net' \
		--deliver-before "$PAP_FUTURE" --delivery-method unconfirmed \
		--app-id 16 --content-type "$PAP_SUPL" --body-file "$T_WORK/tv2.bin" --base64
	pap_expect p1 2.1 response-result 1001
	pap_raw_wait 1 ulp
	assert_eq "$(received_count mms)" 0 "MESSAGEs at the mms.ua device"
	pap_check_raw_push ulp ulp.ua "$PAP_SUPL" "$T_WORK/tv2.bin"
}

# Every form of the application id names the same tag: the URN, its
# OMNA number in decimal and in hex (one device registered for both apps;
# each MESSAGE must carry the one matching stamp).
test_pap_app_id_forms_map_to_tag()
{
	pap_start
	device dev alice ";$PAP_PT=\"mms.ua,ulp.ua\""
	n=0
	expect=
	for form in x-wap-application:mms.ua:mms.ua 4:mms.ua 0x04:mms.ua \
		x-oma-application:ulp.ua:ulp.ua 16:ulp.ua 0x10:ulp.ua; do
		n=$((n + 1))
		app=${form%:*}
		tag=${form##*:}
		ctype=$PAP_MMS
		[ "$tag" = ulp.ua ] && ctype=$PAP_SUPL
		PAP_CTX="X-Wap-Application-Id $app"
		pap_submit "p$n" --push-id "app-$n@mmsc.example.net" --address "$PAP_ALICE" \
			--app-id "$app" --content-type "$ctype" --body-text "app-$n"
		pap_expect "p$n" 2.1 response-result 1001
		wait_for 50 pap_received_at_least dev "$n" || true
		assert_eq "$(received_count dev)" "$n" "MESSAGEs after the push of $app"
		expect="$expect${expect:+ }$tag"
	done
	PAP_CTX=
	assert_eq "$(tr -d '\r' <"$T_WORK/dev.msg" | grep -iE '^(accept-contact|a):' |
		sed -n 's/.*pusheventapp="\([^"]*\)".*/\1/p' | xargs)" "$expect" \
		"stamps of the pushes, in order"
	assert_eq "$(tr -d '\r' <"$T_WORK/dev.msg" | grep -ciE '^(accept-contact|a):')" "$n" \
		"Accept-Contact headers in all pushes"
}

pap_received_at_least()
{
	[ "$(received_count "$1")" -ge "$2" ]
}

# TV-5: bare LF line ends in the multipart body and unquoted boundary and
# type parameters are accepted; the binary body still arrives intact.
test_pap_bare_lf_unquoted_boundary_accepted()
{
	pap_start
	pap_rawdevice mms "$PAP_MSISDN" ";$PAP_PT=\"mms.ua\""
	python3 "$PAP" unhex "$PAP_TV1_HEX" "$T_WORK/tv1.bin"
	pap_submit p1 --version 2.0 --push-id mms-lf@mmsc.example.net \
		--address "$PAP_PLMN" --app-id x-wap-application:mms.ua \
		--content-type "$PAP_MMS" --body-file "$T_WORK/tv1.bin" --lf --unquoted
	pap_expect p1 2.0 response-result 1001
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read()
sys.exit(b"\r" in d.split(b"\r\n\r\n", 1)[1])' "$T_WORK/p1.sent" ||
		fail "a CR in the multipart body sent"
	pap_raw_wait 1 mms
	pap_check_raw_push mms mms.ua "$PAP_MMS" "$T_WORK/tv1.bin"
}

# A user whose only device is registered for ulp.ua cannot take an mms.ua
# push: accepted (1001), nothing reaches the device, and the initiator is
# told undeliverable / 2003.
test_pap_no_matching_device_undeliverable()
{
	pap_start
	pap_listen
	device ulp alice ";$PAP_PT=\"ulp.ua\""
	pap_mms p1 mms-nomatch@mmsc.example.net "$PAP_ALICE" -- \
		--notify "$PAP_NOTIFY_URL"
	pap_expect p1 2.1 response-result 1001
	pap_wait_notifications 1
	pap_check_notification "$PAP_ALICE" mms-nomatch@mmsc.example.net undeliverable 2003
	assert_eq "$(received_count ulp)" 0 "MESSAGEs at the ulp.ua device"
}

# Two addresses in one push: one notification per address, each with its
# own outcome (alice's device takes it; bob has no binding at all).
test_pap_two_addresses_two_notifications()
{
	pap_start
	pap_listen
	device mms alice ";$PAP_PT=\"mms.ua\""
	bob='WAPPUSH=sip%3Abob%40push.example.net/TYPE=USER'
	pap_mms p1 mms-two@mmsc.example.net "$PAP_ALICE" "$bob" -- \
		--notify "$PAP_NOTIFY_URL"
	pap_expect p1 2.1 response-result 1001
	pap_wait_notifications 2
	pap_check_notification "$PAP_ALICE" mms-two@mmsc.example.net delivered 1000
	pap_check_notification "$bob" mms-two@mmsc.example.net undeliverable 2003
	assert_eq "$(received_count mms)" 1 "MESSAGEs at alice's device"
}

# The device does not answer: the proxy's transaction times out, and the
# initiator is told timeout / 4000.
test_pap_device_silent_timeout()
{
	pap_start
	pap_listen
	device mute alice ";$PAP_PT=\"mms.ua\"" device-silent.xml
	pap_mms p1 mms-mute@mmsc.example.net "$PAP_ALICE" -- --notify "$PAP_NOTIFY_URL"
	pap_expect p1 2.1 response-result 1001
	# the proxy's fr_timer is 5 s; the module's own transaction lasts longer
	pap_wait_notifications 1 400
	pap_check_notification "$PAP_ALICE" mms-mute@mmsc.example.net timeout 4000
	[ "$(received_count mute)" -ge 1 ] || fail "the silent device never got the push"
}

# ---- refusals ----

# The same push-id again from the same initiator: 2007 and no second
# MESSAGE; from another initiator the same push-id is a push of its own.
test_pap_duplicate_push_id_2007()
{
	pap_start -A "PAP_INITIATOR2=\"$PAP_PI2\""
	device mms alice ";$PAP_PT=\"mms.ua\""
	pap_mms p1 mms-dup@mmsc.example.net "$PAP_ALICE"
	pap_expect p1 2.1 response-result 1001
	wait_deliveries 1 mms
	pap_mms p2 mms-dup@mmsc.example.net "$PAP_ALICE"
	pap_expect p2 2.1 response-result 2007
	pap_settle
	assert_eq "$(received_count mms)" 1 "MESSAGEs after the duplicate"
	PAP_AUTH=(--user pi2 --password secret2)
	pap_mms p3 mms-dup@mmsc.example.net "$PAP_ALICE"
	pap_expect p3 2.1 response-result 1001
	pap_settle
	assert_eq "$(received_count mms)" 2 "MESSAGEs after the other initiator's push"
}

# An initiator allowed mms.ua only pushes ulp.ua content: 2001, nothing
# sent, no notification; its mms.ua push goes through.
test_pap_application_not_allowed_2001()
{
	pap_start -A "PAP_INITIATOR2=\"$PAP_PI2\""
	pap_listen
	device ulp alice ";$PAP_PT=\"ulp.ua\""
	device mms alice ";$PAP_PT=\"mms.ua\""
	PAP_AUTH=(--user pi2 --password secret2)
	pap_submit p1 --push-id supl-1@pi2.example.net --address "$PAP_ALICE" \
		--notify "$PAP_NOTIFY_URL" --app-id x-oma-application:ulp.ua \
		--content-type "$PAP_SUPL" --body-text supl-init
	pap_expect p1 2.1 response-result 2001
	pap_settle
	assert_eq "$(received_count ulp)" 0 "MESSAGEs at the ulp.ua device"
	assert_eq "$(pap_notify_count)" 0 "notifications of a refused push"
	pap_mms p2 mms-1@pi2.example.net "$PAP_ALICE"
	pap_expect p2 2.1 response-result 1001
	wait_deliveries 1 mms
	assert_eq "$(received_count mms)" 1 "MESSAGEs of the allowed push"
	received_message mms | tr -d '\r' >"$T_WORK/mms.hdrs"
	pap_check_push_headers "$T_WORK/mms.hdrs" "device mms" mms.ua "$PAP_MMS" \
		sip:pi2@push.example.net
}

# Addresses the front end cannot turn into a SIP URI: 2002 each, nothing
# sent, no notification.
test_pap_bad_address_2002()
{
	pap_start
	pap_listen
	device mms alice ";$PAP_PT=\"mms.ua\""
	n=0
	for a in 'WAPPUSH=192.0.2.1/TYPE=IPv4' 'WAPPUSH=alice/TYPE=BOGUS' \
		'WAPPUSH=/TYPE=USER' 'WAPPUSH=http%3A%2F%2Falice.example.net/TYPE=USER' \
		'WAPPUSH=15551230001x/TYPE=PLMN' 'alice'; do
		n=$((n + 1))
		pap_mms "p$n" "bad-$n@mmsc.example.net" "$a" -- --notify "$PAP_NOTIFY_URL"
		PAP_CTX="address $a"
		pap_expect "p$n" 2.1 response-result 2002
	done
	PAP_CTX=
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs at alice's device"
	assert_eq "$(pap_notify_count)" 0 "notifications of refused pushes"
}

# Wrong password, unknown user, no credentials: 401 with the Basic
# challenge, and nothing sent; the right password is accepted.
test_pap_authentication_401()
{
	pap_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	n=0
	for auth in '--user pi --password wrong' '--user nobody --password secret' \
		'--user pi --password secretx' ''; do
		n=$((n + 1))
		# shellcheck disable=SC2206 # words on purpose
		PAP_AUTH=($auth)
		pap_mms "p$n" "auth-$n@mmsc.example.net" "$PAP_ALICE"
		assert_eq "$PAP_STATUS" 401 "HTTP status with credentials '$auth'"
		assert_eq "$(tr -d '\r' <"$T_WORK/p$n.hdr" | grep -ci '^www-authenticate:')" 1 \
			"WWW-Authenticate headers with credentials '$auth'"
		tr -d '\r' <"$T_WORK/p$n.hdr" |
			grep -Eiq '^www-authenticate: *basic +realm="pap" *$' ||
			fail "challenge with credentials '$auth': $(grep -i '^www-auth' "$T_WORK/p$n.hdr")"
	done
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs after refused requests"
	PAP_AUTH=(--user pi --password secret)
	pap_mms ok auth-ok@mmsc.example.net "$PAP_ALICE"
	pap_expect ok 2.1 response-result 1001
}

# An initiator restricted to a network: from outside it 401 (with the
# challenge) whatever the password, from inside accepted.
test_pap_initiator_net_401()
{
	pap_start -A "PAP_INITIATOR2=\"$PAP_PI2;net=127.0.0.2/32\""
	device mms alice ";$PAP_PT=\"mms.ua\""
	PAP_AUTH=(--user pi2 --password secret2 --src 127.0.0.1)
	pap_mms p1 net-1@pi2.example.net "$PAP_ALICE"
	assert_eq "$PAP_STATUS" 401 "HTTP status from 127.0.0.1"
	tr -d '\r' <"$T_WORK/p1.hdr" | grep -Eiq '^www-authenticate: *basic +realm="pap" *$' ||
		fail "no Basic challenge from 127.0.0.1"
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs after the refused request"
	PAP_AUTH=(--user pi2 --password secret2 --src 127.0.0.2)
	pap_mms p2 net-2@pi2.example.net "$PAP_ALICE"
	pap_expect p2 2.1 response-result 1001
	wait_deliveries 1 mms
	assert_eq "$(received_count mms)" 1 "MESSAGEs of the accepted push"
	# the unrestricted initiator is not bound to a network
	PAP_AUTH=(--user pi --password secret --src 127.0.0.2)
	pap_mms p3 net-3@mmsc.example.net "$PAP_ALICE"
	pap_expect p3 2.1 response-result 1001
}

# A control entity cut in half: badmessage-response 2000, nothing sent.
test_pap_not_well_formed_badmessage_2000()
{
	pap_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	cat >"$T_WORK/half.xml" <<-EOF
	<?xml version="1.0"?>
	<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN" "http://www.wapforum.org/DTD/pap_2.0.dtd">
	<pap>
	  <push-message push-id="half@mmsc.example.net">
	    <address address-value="$PAP_ALICE"/>
	EOF
	pap_submit p1 --raw-control "$T_WORK/half.xml" --app-id 4 \
		--content-type "$PAP_MMS" --body-text half
	pap_expect p1 2.0 badmessage-response 2000
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs after a bad message"
}

# A PAP version the gateway does not speak: badmessage-response 3002.
test_pap_version_not_supported_3002()
{
	pap_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	cat >"$T_WORK/v3.xml" <<-EOF
	<?xml version="1.0"?>
	<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN" "http://www.wapforum.org/DTD/pap_2.0.dtd" [<?wap-pap-ver supported-versions="3.0"?>]>
	<pap>
	  <push-message push-id="v3@mmsc.example.net">
	    <address address-value="$PAP_ALICE"/>
	  </push-message>
	</pap>
	EOF
	pap_submit p1 --raw-control "$T_WORK/v3.xml" --app-id 4 \
		--content-type "$PAP_MMS" --body-text v3
	pap_expect p1 - badmessage-response 3002
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs after an unsupported version"
}

# deliver-before already past (2001), deliver-after still to come (3001:
# pushes are not held), replace-push-id (3011), a client capabilities
# query (ccq-response 3001): nothing sent for any.
test_pap_timing_and_replace_refused()
{
	pap_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	pap_mms p1 late@mmsc.example.net "$PAP_ALICE" -- --deliver-before "$PAP_PAST"
	pap_expect p1 2.1 response-result 2001
	pap_mms p2 early@mmsc.example.net "$PAP_ALICE" -- --deliver-after "$PAP_FUTURE"
	pap_expect p2 2.1 response-result 3001
	pap_mms p3 replacing@mmsc.example.net "$PAP_ALICE" -- \
		--version 2.0 --replace-push-id older@mmsc.example.net
	pap_expect p3 2.0 response-result 3011
	cat >"$T_WORK/ccq.xml" <<-EOF
	<?xml version="1.0"?>
	<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.1//EN" "http://www.openmobilealliance.org/tech/DTD/pap_2.1.dtd">
	<pap><ccq-message query-id="q1@mmsc.example.net"><address address-value="$PAP_ALICE"/></ccq-message></pap>
	EOF
	pap_http raw q1 --content-type application/xml --file "$T_WORK/ccq.xml"
	pap_expect q1 2.1 ccq-response 3001
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs of refused pushes"
}

# pap_alive: kamailio still runs and answers RPC and PAP.
pap_alive()
{
	kill -0 "$KAM_PID" 2>/dev/null || fail "kamailio is gone"
	kam_rpc core.uptime >/dev/null || fail "kamailio does not answer RPC"
	pap_http status alive --push-id alive-check@mmsc.example.net
	pap_expect alive 2.1 statusquery-result 2004
}

# An external entity (pap-notes 9.4: never loaded): a file's content is
# not in the answer nor in the log, the document is refused (2000: it
# declares an entity), nothing is sent, and kamailio lives on.
test_pap_external_entity_leaks_nothing()
{
	pap_start
	pap_listen
	device mms alice ";$PAP_PT=\"mms.ua\""
	secret="pap-secret-$$-$RANDOM$RANDOM"
	echo "$secret" >"$T_WORK/secret.txt"
	n=0
	for src in /etc/hostname "$T_WORK/secret.txt"; do
		n=$((n + 1))
		cat >"$T_WORK/xxe$n.xml" <<-EOF
		<?xml version="1.0"?>
		<!DOCTYPE pap [<!ENTITY x SYSTEM "file://$src">]>
		<pap>
		  <push-message push-id="xxe-&x;-$n" ppg-notify-requested-to="$PAP_NOTIFY_URL">
		    <address address-value="$PAP_ALICE"/>
		  </push-message>
		</pap>
		EOF
		pap_submit "p$n" --raw-control "$T_WORK/xxe$n.xml" --app-id 4 \
			--content-type "$PAP_MMS" --body-text xxe
		pap_expect "p$n" - badmessage-response 2000
	done
	# an entity in an address, through a parameter entity
	cat >"$T_WORK/xxe3.xml" <<-EOF
	<?xml version="1.0"?>
	<!DOCTYPE pap [<!ENTITY % p SYSTEM "file://$T_WORK/secret.txt"> %p; <!ENTITY y "alice">]>
	<pap>
	  <push-message push-id="xxe-3" ppg-notify-requested-to="$PAP_NOTIFY_URL">
	    <address address-value="WAPPUSH=&y;/TYPE=USER"/>
	  </push-message>
	</pap>
	EOF
	pap_submit p3 --raw-control "$T_WORK/xxe3.xml" --app-id 4 \
		--content-type "$PAP_MMS" --body-text xxe
	pap_expect p3 - badmessage-response 2000
	host=$(tr -d ' \r\n' </etc/hostname 2>/dev/null || true)
	for n in 1 2 3; do
		assert_no_grep "$T_WORK/p$n.xml" "$secret" "the file's content in answer $n"
		assert_no_grep "$T_WORK/p$n.hdr" "$secret" "the file's content in headers $n"
		# (unless the request itself holds that text, which the answer's
		# bad-message-fragment may quote)
		if [ ${#host} -ge 4 ] && ! grep -qF -- "$host" "$T_WORK/p$n.sent"; then
			assert_no_grep "$T_WORK/p$n.xml" "$host" "/etc/hostname in answer $n"
		fi
	done
	assert_no_grep "$KAM_LOG" "$secret" "the file's content in kamailio's log"
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs after entity documents"
	assert_eq "$(pap_notify_count)" 0 "notifications after entity documents"
	pap_alive
}

# Billion laughs: refused quickly (2000), no expansion in the answer,
# nothing sent, kamailio lives on.
test_pap_billion_laughs_refused()
{
	pap_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	{
		echo '<?xml version="1.0"?>'
		printf '<!DOCTYPE pap [<!ENTITY l0 "lol">'
		for i in 1 2 3 4 5 6 7 8 9; do
			printf '<!ENTITY l%d "' "$i"
			for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&l%d;' $((i - 1)); done
			printf '">'
		done
		echo ']>'
		echo '<pap><push-message push-id="lol-&l9;">'
		echo "<address address-value=\"$PAP_ALICE\"/></push-message></pap>"
	} >"$T_WORK/lol.xml"
	start=$(date +%s)
	pap_submit p1 --raw-control "$T_WORK/lol.xml" --app-id 4 \
		--content-type "$PAP_MMS" --body-text lol
	pap_expect p1 - badmessage-response 2000
	[ $(($(date +%s) - start)) -le 5 ] || fail "the answer took more than 5 s"
	[ "$(wc -c <"$T_WORK/p1.xml")" -le 4096 ] ||
		fail "answer of $(wc -c <"$T_WORK/p1.xml") bytes"
	assert_no_grep "$T_WORK/p1.xml" '(lol){4}' "expanded entities in the answer"
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs after billion laughs"
	pap_alive
}

# A P-Asserted-Identity (and a P-Preferred-Identity) the initiator put in
# the content entity are not what the device sees: exactly one identity,
# the initiator's; no content-entity header but Content-Type reaches it.
test_pap_spoofed_identity_in_content_not_forwarded()
{
	pap_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	pap_mms p1 spoof@mmsc.example.net "$PAP_ALICE" -- \
		--extra-content-header 'P-Asserted-Identity: <sip:evil@attacker.example.net>' \
		--extra-content-header 'P-Preferred-Identity: <sip:evil2@attacker.example.net>' \
		--extra-content-header 'X-Spoof: evil3'
	pap_expect p1 2.1 response-result 1001
	grep -q 'sip:evil@attacker' "$T_WORK/p1.sent" || fail "the spoof was not sent"
	wait_deliveries 1 mms
	assert_eq "$(received_count mms)" 1 "MESSAGEs at the device"
	received_message mms | tr -d '\r' >"$T_WORK/mms.hdrs"
	pap_check_push_headers "$T_WORK/mms.hdrs" "device mms" mms.ua "$PAP_MMS"
	assert_no_grep "$T_WORK/mms.msg" 'evil' "a content-entity header at the device"
	assert_no_grep "$T_WORK/mms.hdrs" '^X-Wap-Application-Id:' \
		"X-Wap-Application-Id copied to the MESSAGE"
	# the body is the content entity's, nothing more
	assert_grep "$T_WORK/mms.msg" '^mms-push spoof@mmsc\.example\.net' "body at the device"
}

# The proxy believes the identity of its own PAP MESSAGEs by their
# one-shot Call-ID. A device sees that Call-ID: a MESSAGE from outside the
# trust domain reusing it, or forging one of the same form, gets no
# identity through (the spoofed PAI is removed, cfg's route[IDENTITY]).
test_pap_own_callid_replay_not_trusted()
{
	pap_start
	# rawdevice.py: SIPp's device ignores a second MESSAGE of a Call-ID
	pap_rawdevice mms alice ";$PAP_PT=\"mms.ua\""
	pap_mms p1 replay@mmsc.example.net "$PAP_ALICE"
	pap_expect p1 2.1 response-result 1001
	pap_raw_wait 1 mms
	callid=$(tr -d '\r' <"$T_WORK/mms.dev/msg-1.hdr" | sed -n 's/^Call-ID: *//Ip' | head -n 1)
	[ -n "$callid" ] || fail "no Call-ID at the device"
	forged=$(printf '%s' "$callid" | sed 's/\.[0-9a-f]*$/.0123456789abcdef0123456789abcdef/')
	n=1
	for cid in "$callid" "$forged"; do
		n=$((n + 1))
		req="MESSAGE sip:alice@push.example.net SIP/2.0\r\nVia: @VIA@\r\nMax-Forwards: 70\r\nFrom: <sip:pi@push.example.net>;tag=@TAG@\r\nTo: <sip:alice@push.example.net>\r\nCall-ID: $cid\r\nCSeq: 10 MESSAGE\r\nP-Asserted-Identity: <sip:evil$n@push.example.net>\r\nContent-Type: $PAP_MMS\r\nContent-Length: 6\r\n\r\nreplay"
		final=$(python3 "$ROOT/tests/system/rawsip.py" --src 127.0.0.1 \
			--port "$KAM_PORT" -e "$req" 2>"$T_WORK/replay$n.err") || final=none
		assert_eq "$final" 200 "final response to the MESSAGE with Call-ID $cid"
		assert_eq "$(raw_count mms)" "$n" "MESSAGEs at the device"
		assert_eq "$(tr -d '\r' <"$T_WORK/mms.dev/msg-$n.hdr" | sed -n 's/^Call-ID: *//Ip')" \
			"$cid" "Call-ID of MESSAGE $n at the device"
		assert_eq "$(grep -ci '^p-asserted-identity:' "$T_WORK/mms.dev/msg-$n.hdr")" 0 \
			"P-Asserted-Identity headers of MESSAGE $n (Call-ID $cid)"
	done
	assert_no_grep "$T_WORK/mms.dev/msg-2.sip" 'evil' "the spoofed identity at the device"
	assert_no_grep "$T_WORK/mms.dev/msg-3.sip" 'evil' "the spoofed identity at the device"
	assert_eq "$(grep -ci '^p-asserted-identity:' "$T_WORK/mms.dev/msg-1.hdr")" 1 \
		"P-Asserted-Identity headers of the PAP push"
}

# ---- status, cancel, RPC, statistics ----

# pap_delivered_push NAME PUSH-ID: a push to alice's mms.ua device that the
# listener has been told was delivered.
pap_delivered_push()
{
	pap_mms "$1" "$2" "$PAP_ALICE" -- --notify "$PAP_NOTIFY_URL"
	pap_expect "$1" 2.1 response-result 1001
	pap_wait_notifications 1
	pap_check_notification "$PAP_ALICE" "$2" delivered 1000
}

# After delivery: status delivered / 1000 with the address, cancel 2008;
# an unknown push-id: 2004 for both. Each answer in the request's version.
test_pap_status_and_cancel_after_delivery()
{
	pap_start
	pap_listen
	device mms alice ";$PAP_PT=\"mms.ua\""
	pap_delivered_push p1 mms-sq@mmsc.example.net
	pap_http status s1 --version 2.0 --push-id mms-sq@mmsc.example.net
	pap_expect s1 2.0 statusquery-result 1000
	assert_eq "$(pap_val "$T_WORK/s1.xml" statusquery-response@push-id)" \
		mms-sq@mmsc.example.net "push-id of the statusquery-response"
	assert_eq "$(pap_val "$T_WORK/s1.xml" statusquery-result@message-state)" \
		delivered "message-state"
	assert_eq "$(pap_val "$T_WORK/s1.xml" address@address-value)" \
		"$PAP_ALICE" "address of the statusquery-result"
	pap_http status s0 --version 1.0 --push-id mms-sq@mmsc.example.net \
		--address "$PAP_ALICE"
	pap_expect s0 1.0 statusquery-result 1000
	assert_eq "$(pap_val "$T_WORK/s0.xml" statusquery-result@message-state)" \
		delivered "message-state (PAP 1.0 query of the address)"
	pap_http cancel c1 --version 2.1 --push-id mms-sq@mmsc.example.net
	pap_expect c1 2.1 cancel-result 2008
	assert_eq "$(pap_val "$T_WORK/c1.xml" cancel-response@push-id)" \
		mms-sq@mmsc.example.net "push-id of the cancel-response"
	pap_http status s2 --version 2.1 --push-id never-sent@mmsc.example.net
	pap_expect s2 2.1 statusquery-result 2004
	pap_http cancel c2 --version 2.0 --push-id never-sent@mmsc.example.net
	pap_expect c2 2.0 cancel-result 2004
	# a push-id is the initiator's: status of it under another initiator
	# name would be another push (not tested: needs a second initiator)
	assert_eq "$(received_count mms)" 1 "MESSAGEs at the device"
}

test_pap_rpc_status_shows_push()
{
	pap_start
	pap_listen
	device mms alice ";$PAP_PT=\"mms.ua\""
	pap_delivered_push p1 mms-rpc@mmsc.example.net
	kam_rpc push.pap_status mms-rpc@mmsc.example.net >"$T_WORK/rpc" 2>&1 ||
		fail "push.pap_status failed: $(cat "$T_WORK/rpc")"
	assert_grep "$T_WORK/rpc" 'mms-rpc@mmsc\.example\.net' "push-id in push.pap_status"
	assert_grep "$T_WORK/rpc" 'delivered' "state in push.pap_status"
	assert_grep "$T_WORK/rpc" 'WAPPUSH=alice/TYPE=USER|sip:alice@push\.example\.net' \
		"address in push.pap_status"
	kam_rpc push.pap_status unknown@mmsc.example.net >"$T_WORK/rpc2" 2>&1 || true
	assert_no_grep "$T_WORK/rpc2" 'delivered' "push.pap_status of an unknown push-id"
	assert_grep "$T_WORK/rpc2" '^error' "push.pap_status of an unknown push-id"
}

test_pap_statistics_move()
{
	pap_start
	pap_listen
	device mms alice ";$PAP_PT=\"mms.ua\""
	for s in accepted rejected delivered undeliverable notifications_failed; do
		assert_eq "$(pap_stat "pap_$s")" 0 "push:pap_$s at start"
	done
	pap_delivered_push p1 mms-st1@mmsc.example.net
	pap_mms p2 mms-st2@mmsc.example.net 'WAPPUSH=192.0.2.1/TYPE=IPv4'
	pap_expect p2 2.1 response-result 2002
	pap_mms p3 mms-st3@mmsc.example.net 'WAPPUSH=nobody/TYPE=USER' -- \
		--notify "$PAP_NOTIFY_URL"
	pap_expect p3 2.1 response-result 1001
	pap_wait_notifications 2
	pap_check_notification 'WAPPUSH=nobody/TYPE=USER' mms-st3@mmsc.example.net \
		undeliverable 2003
	assert_eq "$(pap_stat pap_accepted)" 2 "push:pap_accepted"
	assert_eq "$(pap_stat pap_rejected)" 1 "push:pap_rejected"
	assert_eq "$(pap_stat pap_delivered)" 1 "push:pap_delivered"
	assert_eq "$(pap_stat pap_undeliverable)" 1 "push:pap_undeliverable"
	assert_eq "$(pap_stat pap_notifications_failed)" 0 "push:pap_notifications_failed"
}

pap_notifications_failed_is()
{
	[ "$(pap_stat pap_notifications_failed)" = "$1" ]
}

# A notification URL where nobody listens: the push is delivered, and the
# failed notification is counted (within 30 s, retries included).
test_pap_notification_failure_counted()
{
	pap_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	free_port
	pap_mms p1 mms-nf@mmsc.example.net "$PAP_ALICE" -- \
		--notify "http://127.0.0.1:$FREE_PORT/pap-notify"
	pap_expect p1 2.1 response-result 1001
	wait_deliveries 1 mms
	assert_eq "$(received_count mms)" 1 "MESSAGEs at the device"
	wait_for 300 pap_notifications_failed_is 1 ||
		fail "push:pap_notifications_failed is '$(pap_stat pap_notifications_failed)'"
	assert_eq "$(pap_stat pap_delivered)" 1 "push:pap_delivered"
}

# An initiator whose notification URL takes connections and never answers
# holds an async worker only for one attempt at a time: the retries wait
# on a timer, so the other initiators' notifications go out in between,
# before the stalled ones are given up.
test_pap_stalled_notify_url_does_not_hold_others()
{
	pap_start
	pap_listen
	device mms alice ";$PAP_PT=\"mms.ua\""
	free_port
	python3 "$PAP" stall --port "$FREE_PORT" --ready "$T_WORK/stall.ready" \
		--lifetime 120 &
	T_PIDS="$T_PIDS $!"
	wait_for 50 test -e "$T_WORK/stall.ready" || fail "the stalled listener did not start"
	# as many stalled notifications as the example proxy has async workers
	pap_mms s1 mms-stall1@mmsc.example.net "$PAP_ALICE" -- \
		--notify "http://127.0.0.1:$FREE_PORT/pap-notify"
	pap_expect s1 2.1 response-result 1001
	pap_mms s2 mms-stall2@mmsc.example.net "$PAP_ALICE" -- \
		--notify "http://127.0.0.1:$FREE_PORT/pap-notify"
	pap_expect s2 2.1 response-result 1001
	wait_deliveries 2 mms
	pap_mms p1 mms-live@mmsc.example.net "$PAP_ALICE" -- --notify "$PAP_NOTIFY_URL"
	pap_expect p1 2.1 response-result 1001
	pap_wait_notifications 1 400
	pap_check_notification "$PAP_ALICE" mms-live@mmsc.example.net delivered 1000
	assert_no_grep "$KAM_LOG" "result notification to .* not delivered" \
		"a stalled notification given up before the live one went out"
	wait_for 600 pap_notifications_failed_is 2 ||
		fail "push:pap_notifications_failed is '$(pap_stat pap_notifications_failed)'"
}

# Not PAP: GET /pap, POST elsewhere, POST /pap of another content type:
# 404 each, nothing sent.
test_pap_not_pap_requests_404()
{
	pap_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	pap_http raw g1 --method GET
	assert_eq "$PAP_STATUS" 404 "GET /pap"
	cat >"$T_WORK/ok.xml" <<-EOF
	<?xml version="1.0"?>
	<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.1//EN" "http://www.openmobilealliance.org/tech/DTD/pap_2.1.dtd">
	<pap><statusquery-message push-id="x@mmsc.example.net"/></pap>
	EOF
	PAP_REQ_URL="http://127.0.0.1:$PAP_PORT/wappush"
	pap_http raw o1 --content-type application/xml --file "$T_WORK/ok.xml"
	assert_eq "$PAP_STATUS" 404 "POST /wappush"
	PAP_REQ_URL=
	pap_http raw t1 --content-type text/plain --file "$T_WORK/ok.xml"
	assert_eq "$PAP_STATUS" 404 "POST /pap as text/plain"
	# the same document as application/xml is PAP (the control case)
	pap_http raw x1 --content-type application/xml --file "$T_WORK/ok.xml"
	pap_expect x1 2.1 statusquery-result 2004
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs after requests that are not PAP"
	# an ordinary 404 is no error of the proxy's
	assert_no_grep "$KAM_LOG" " ERROR: " "errors logged for requests that are not PAP"
}

# ---- held pushes: deliver-after, deliver-before, cancel ----

# pap_ts SECONDS: the UTC timestamp that many seconds from now.
pap_ts()
{
	date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%dT%H:%M:%SZ
}

# The proxy with its hold timer running every second.
pap_hold_start()
{
	pap_start -A WITH_HOLD -A HOLD_INTERVAL=1
	pap_listen
}

# pap_state NAME PUSH-ID STATE CODE: a status-query says STATE / CODE.
pap_state()
{
	pap_http status "$1" --push-id "$2"
	pap_expect "$1" 2.1 statusquery-result "$4"
	assert_eq "$(pap_val "$T_WORK/$1.xml" statusquery-result@message-state)" \
		"$3" "message-state in $1"
}

# deliver-after: accepted, pending and not sent before its time, then sent
# to the registered device and notified delivered.
test_pap_deliver_after_delays_delivery()
{
	pap_hold_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	# far enough ahead for the checks before it even on a loaded machine
	pap_mms p1 mms-later@mmsc.example.net "$PAP_ALICE" -- \
		--notify "$PAP_NOTIFY_URL" --deliver-after "$(pap_ts 8)"
	pap_expect p1 2.1 response-result 1001
	pap_state s1 mms-later@mmsc.example.net pending 1001
	sleep 1
	assert_eq "$(received_count mms)" 0 "MESSAGEs before the deliver-after time"
	pap_wait_notifications 1 200
	pap_check_notification "$PAP_ALICE" mms-later@mmsc.example.net delivered 1000
	assert_eq "$(received_count mms)" 1 "MESSAGEs after the deliver-after time"
	pap_state s2 mms-later@mmsc.example.net delivered 1000
}

# deliver-before, no device: held (pending), then delivered to the device
# that registers with the application; notified delivered.
test_pap_deliver_before_held_until_registration()
{
	pap_hold_start
	pap_mms p1 mms-away@mmsc.example.net "$PAP_ALICE" -- \
		--notify "$PAP_NOTIFY_URL" --deliver-before "$(pap_ts 60)"
	pap_expect p1 2.1 response-result 1001
	wait_for 50 pap_held_rows_are 1 || fail "held rows: $(pap_held_rows)"
	pap_state s1 mms-away@mmsc.example.net pending 1001
	assert_eq "$(pap_notify_count)" 0 "notifications while held"
	device mms alice ";$PAP_PT=\"mms.ua\""
	pap_wait_notifications 1
	pap_check_notification "$PAP_ALICE" mms-away@mmsc.example.net delivered 1000
	assert_eq "$(received_count mms)" 1 "MESSAGEs at the device"
	assert_grep "$T_WORK/mms.msg" "P-Asserted-Identity: <sip:pi@push.example.net>" \
		"the initiator's identity on the held push"
	pap_state s2 mms-away@mmsc.example.net delivered 1000
	assert_eq "$(pap_held_rows)" 0 "held rows after delivery"
}

# deliver-before passes with no device: notified expired / 4000.
test_pap_deliver_before_expiry_notified()
{
	pap_hold_start
	pap_mms p1 mms-stale@mmsc.example.net "$PAP_ALICE" -- \
		--notify "$PAP_NOTIFY_URL" --deliver-before "$(pap_ts 3)"
	pap_expect p1 2.1 response-result 1001
	pap_wait_notifications 1 150
	pap_check_notification "$PAP_ALICE" mms-stale@mmsc.example.net expired 4000
	pap_state s1 mms-stale@mmsc.example.net expired 4000
	assert_eq "$(pap_held_rows)" 0 "held rows after expiry"
	device mms alice ";$PAP_PT=\"mms.ua\""
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs of an expired push"
}

# cancel-message of a held push: 1000, cancelled, and the device that
# registers afterwards never gets it.
test_pap_cancel_held_push()
{
	pap_hold_start
	pap_mms p1 mms-cancel@mmsc.example.net "$PAP_ALICE" -- \
		--notify "$PAP_NOTIFY_URL" --deliver-before "$(pap_ts 60)"
	pap_expect p1 2.1 response-result 1001
	wait_for 50 pap_held_rows_are 1 || fail "held rows: $(pap_held_rows)"
	pap_http cancel c1 --push-id mms-cancel@mmsc.example.net
	pap_expect c1 2.1 cancel-result 1000
	pap_state s1 mms-cancel@mmsc.example.net cancelled 1000
	pap_wait_notifications 1
	pap_check_notification "$PAP_ALICE" mms-cancel@mmsc.example.net cancelled 1000
	assert_eq "$(pap_held_rows)" 0 "held rows after the cancel"
	device mms alice ";$PAP_PT=\"mms.ua\""
	pap_settle
	assert_eq "$(received_count mms)" 0 "MESSAGEs of a cancelled push"
}

pap_held_rows()
{
	sqlite3 "$KAM_DB" "SELECT COUNT(*) FROM push_hold"
}

pap_held_rows_are()
{
	[ "$(pap_held_rows)" = "$1" ]
}

# The random part of the Call-IDs the front end gives its MESSAGEs (what
# makes them unguessable, so that only the proxy's own MESSAGE is trusted)
# is never the same twice, whichever process made it: pushes submitted
# over separate connections, handled by different TCP workers.
test_pap_callid_random_parts_differ()
{
	pap_start
	device mms alice ";$PAP_PT=\"mms.ua\""
	local i
	for i in 1 2 3 4 5 6 7 8; do
		pap_mms "p$i" "mms-rand$i@mmsc.example.net" "$PAP_ALICE"
		pap_expect "p$i" 2.1 response-result 1001
	done
	wait_for 100 received_at_least mms 8 || fail "pushes at the device: $(received_count mms)"
	grep -a '^Call-ID: pap\.' "$T_WORK/mms.msg" | tr -d '\r' | sort -u >"$T_WORK/callids"
	assert_eq "$(wc -l <"$T_WORK/callids")" 8 "Call-IDs of the front end at the device"
	assert_eq "$(sed 's/.*\.\([0-9a-f]*\)$/\1/' "$T_WORK/callids" | sort -u | wc -l)" 8 \
		"distinct random parts"
	[ "$(cut -d. -f3 "$T_WORK/callids" | sort -u | wc -l)" -ge 2 ] ||
		fail "one TCP worker made every Call-ID: nothing compared across processes"
}
