# WITH_TLS: the example proxy's TLS listener (tls module). Devices register
# over TLS and get their pushes on the connection they keep; a Push Sender
# Agent whose client certificate the proxy verified, and which names
# TLS_TRUSTED_SENDER, is inside the trust domain. Debian's SIPp is built
# without TLS, so the TLS device is rawdevice.py --tls and the TLS sender
# rawsip.py --tls (Python's ssl module). Each test makes its own throwaway
# authority and certificates (scripts/tls-selfsigned.sh, EC keys) under its
# work directory.

TLS_RAWSIP="$ROOT/tests/system/rawsip.py"
TLS_RAWDEV="$ROOT/tests/system/rawdevice.py"
TLS_SENDER=ppg.push.example.net
TLS_PT='+g.oma.pusheventapp'
TLS_SENT_ID='P-Asserted-Identity: <sip:mms-push@pushas.example.net>'

# tls_certs: $T_WORK/tls, the proxy's authority: its certificate, and the
# client certificates of TLS_SENDER and of another sender; $T_WORK/rogue,
# an unrelated authority that also signed a certificate naming TLS_SENDER.
tls_certs()
{
	"$ROOT/scripts/tls-selfsigned.sh" "$T_WORK/tls" "$TLS_SENDER" \
		other.push.example.net >"$T_WORK/tls-certs.out" 2>&1 ||
		fail "scripts/tls-selfsigned.sh: $(cat "$T_WORK/tls-certs.out")"
	CA_NAME="rogue CA" "$ROOT/scripts/tls-selfsigned.sh" "$T_WORK/rogue" \
		"$TLS_SENDER" >>"$T_WORK/tls-certs.out" 2>&1 ||
		fail "scripts/tls-selfsigned.sh (rogue): $(cat "$T_WORK/tls-certs.out")"
}

# tls_args: the kamailio arguments of a proxy WITH_TLS on TLS_PORT (free),
# with the certificates of tls_certs, in TLS_ARGS.
tls_args()
{
	free_port || return 1
	TLS_PORT=$FREE_PORT
	TLS_ARGS=(-A WITH_TLS -A "TLS_PORT=$TLS_PORT"
		-A "TLS_CERT=\"$T_WORK/tls/server.pem\""
		-A "TLS_KEY=\"$T_WORK/tls/server.key\""
		-A "TLS_CA=\"$T_WORK/tls/ca.pem\"")
}

tls_listening()
{
	[ -n "$(ss -Hlnt "( sport = :$1 )" 2>/dev/null)" ]
}

# tls_start: certificates, and the proxy WITH_TLS.
tls_start()
{
	tls_certs
	tls_args
	kam_start cfg/push-proxy.cfg "${TLS_ARGS[@]}"
	wait_for 100 tls_listening "$TLS_PORT" ||
		fail "kamailio does not listen for TLS on port $TLS_PORT"
}

# tls_device NAME AOR PARAMS [rawdevice args...]: a device that connects
# to the TLS port (checking the proxy's certificate against the test's
# authority) and registers <sip:AOR@127.0.0.1:LPORT;transport=tls>PARAMS,
# LPORT the local port of its connection (TLS_DEV_PORT).
tls_device()
{
	local name=$1 dir="$T_WORK/$1.dev"
	shift
	python3 "$TLS_RAWDEV" --tls --proxy-port "$TLS_PORT" \
		--ca "$T_WORK/tls/ca.pem" --user "$1" --params "$2" --dir "$dir" \
		--lifetime 60 "${@:3}" 2>"$T_WORK/$name.dev.err" &
	T_PIDS="$T_PIDS $!"
	wait_for 120 tls_dev_done "$dir" || true
	[ -e "$dir/registered" ] || fail "REGISTER over TLS of $1 by device" \
		"$name: $(cat "$dir/register-failed" 2>/dev/null || echo no answer)"
	TLS_DEV_PORT=$(cat "$dir/port")
}

tls_dev_done()
{
	[ -e "$1/registered" ] || [ -e "$1/register-failed" ]
}

# dev_got_more N: the device dev (identity_setup of t_identity.sh) got more
# than N MESSAGEs.
dev_got_more()
{
	[ "$(received_count dev)" -gt "$1" ]
}

# tls_dev_wait NAME: wait (bounded) for the first MESSAGE of tls_device
# NAME, then a moment for any other.
tls_dev_wait()
{
	wait_for 60 test -e "$T_WORK/$1.dev/msg-1.sip" || true
	sleep 0.3
}

# tls_push NAME [rawsip args...]: one push to alice carrying
# TLS_SENT_ID, sent by rawsip.py (--tls and its certificate options, or
# UDP); FINAL is the status code of the final response ("" if none),
# RAW_RC rawsip's exit status.
tls_push()
{
	local name=$1
	shift
	RAW_RC=0
	FINAL=$(python3 "$TLS_RAWSIP" --port "$KAM_PORT" --timeout 10 \
		--response "$T_WORK/$name.resp" "$@" \
		-e "MESSAGE sip:alice@push.example.net SIP/2.0\r\nVia: @VIA@\r\nMax-Forwards: 70\r\nFrom: <sip:push-sender@pushas.example.net>;tag=@TAG@\r\nTo: <sip:alice@push.example.net>\r\nCall-ID: $name-@CALLID@\r\nCSeq: 1 MESSAGE\r\n$TLS_SENT_ID\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello" \
		2>"$T_WORK/$name.err") || RAW_RC=$?
}

# tls_sender_args CERT-NAME [DIR]: rawsip options of a TLS sender that
# checks the proxy's certificate and presents DIR/client-CERT-NAME (DIR:
# $T_WORK/tls); no certificate when CERT-NAME is empty.
tls_sender_args()
{
	SENDER_ARGS=(--tls --port "$TLS_PORT" --ca "$T_WORK/tls/ca.pem")
	[ -z "$1" ] && return 0
	SENDER_ARGS+=(--cert "${2:-$T_WORK/tls}/client-$1.pem"
		--key "${2:-$T_WORK/tls}/client-$1.key")
}

# tls_identity_push NAME EXPECTED CERT-NAME [DIR]: one push over TLS with
# that client certificate; it reaches the device dev (identity_setup of
# t_identity.sh) with EXPECTED as its identity headers.
tls_identity_push()
{
	local before
	before=$(received_count dev)
	tls_sender_args "$3" "${4:-}"
	tls_push "$1" "${SENDER_ARGS[@]}"
	assert_eq "$RAW_RC/$FINAL" 0/200 "exit status/final response of push $1 over TLS"
	wait_for 50 dev_got_more "$before" || fail "device did not get push $1"
	sleep 0.2
	assert_eq "$(received_count dev)" $((before + 1)) "pushes at the device after $1"
	assert_eq "$(tls_identity_of "$1")" "$2" "identity headers of push $1 at the device"
}

# tls_identity_of NAME: the identity headers of the first MESSAGE of push
# NAME (tls_push) that the device dev got.
tls_identity_of()
{
	awk -v id="Call-ID: $1-" '/^MESSAGE sip:/ { on = 1; n = 0; mine = 0 }
		on && /^\r?$/ { if (mine) { for (i = 1; i <= n; i++) print h[i]; exit }
			on = 0 }
		on && index($0, id) == 1 { mine = 1 }
		on && /^(P-Asserted-Identity|P-Preferred-Identity):/ { h[++n] = $0 }' \
		"$T_WORK/dev.msg" | tr -d '\r'
}

# A device registers over TLS; its binding keeps the TLS socket, and a
# push sent over UDP reaches it over TLS, on the connection it registered
# on, intact.
test_tls_device_registers_and_gets_push_over_tls()
{
	tls_start
	tls_device tdev alice ";$TLS_PT=\"mms.ua\""
	kam_rpc ul.dump >"$T_WORK/ul.dump"
	assert_grep "$T_WORK/ul.dump" \
		"Address: sip:alice@127\.0\.0\.1:$TLS_DEV_PORT;transport=tls\$" \
		"the binding is the device's connection"
	assert_grep "$T_WORK/ul.dump" "Socket: tls:127\.0\.0\.1:$TLS_PORT\$" \
		"the binding keeps the TLS socket"
	# a Push Sender Agent over UDP (SIPp)
	send_push p1 alice "application/vnd.wap.mms-message"
	assert_eq "$FINAL" 200 "final response of the push sent over UDP"
	tls_dev_wait tdev
	local hdr="$T_WORK/tdev.dev/msg-1.hdr"
	[ -e "$hdr" ] || fail "the TLS device did not get the push"
	assert_eq "$(raw_count tdev)" 1 "pushes at the TLS device"
	assert_grep "$hdr" "^MESSAGE sip:alice@127\.0\.0\.1:$TLS_DEV_PORT;transport=tls SIP/2\.0" \
		"Request-URI of the push: the TLS binding"
	assert_eq "$(grep -m1 -i '^Via:' "$hdr" | sed 's/;.*//')" \
		"Via: SIP/2.0/TLS 127.0.0.1:$TLS_PORT" "top Via: the proxy's TLS socket"
	# send-message.xml's body is "push <Call-ID>"
	assert_eq "$(head -c 5 "$T_WORK/tdev.dev/msg-1.body")$(sed -n 's/^Call-ID: //p' "$hdr" | tr -d '\r')" \
		"$(tr -d '\r\n' <"$T_WORK/tdev.dev/msg-1.body")" "body of the push at the TLS device"
	assert_grep "$hdr" "^Accept-Contact: \*;\+g\.oma\.pusheventapp=\"mms\.ua\"" "the push was stamped"
	# one connection only: the device's own (no new one from the proxy)
	assert_eq "$(ss -Hnt state established "( sport = :$TLS_PORT )" | wc -l)" 1 \
		"TLS connections to the proxy"
}

# push_lookup()'s branches keep each binding's socket: a push forked in
# parallel reaches a UDP and a TLS device of one user, each over its
# transport; forked serially (q), the TLS device of the second class gets it
# over TLS after the UDP device of the first refused it (t_load_contacts,
# t_next_contacts), and the TLS device of the first class takes it alone.
test_tls_branches_keep_their_socket()
{
	tls_start
	device udev alice ";$TLS_PT=\"mms.ua\""
	tls_device tdev alice ";$TLS_PT=\"mms.ua\""
	send_push p1 alice "application/vnd.wap.mms-message"
	assert_eq "$FINAL" 200 "final response of the parallel push"
	tls_dev_wait tdev
	wait_deliveries 1 udev
	assert_eq "$(received_count udev)" 1 "pushes at the UDP device"
	assert_grep "$T_WORK/udev.msg" "^Via: SIP/2\.0/UDP 127\.0\.0\.1:$KAM_PORT;" \
		"the UDP device got it over UDP"
	[ -e "$T_WORK/tdev.dev/msg-1.hdr" ] || fail "the TLS device did not get the parallel push"
	assert_grep "$T_WORK/tdev.dev/msg-1.hdr" "^Via: SIP/2\.0/TLS 127\.0\.0\.1:$TLS_PORT;" \
		"the TLS device got it over TLS"

	# bob: a UDP device in the first q class refuses, the TLS one is next
	device ubob bob ";q=0.9;$TLS_PT=\"mms.ua\"" device-480.xml
	tls_device tbob bob ";q=0.5;$TLS_PT=\"mms.ua\""
	send_push p2 bob "application/vnd.wap.mms-message"
	assert_eq "$FINAL" 200 "final response of the serial push"
	tls_dev_wait tbob
	assert_eq "$(received_count ubob)" 1 "pushes at bob's UDP device (480)"
	# the second step: after the UDP device's 480
	local refused got
	refused=$(awk '/^-+ [0-9]/ { ts = $2 " " $3 } /^SIP\/2\.0 480/ { print ts; exit }' \
		"$T_WORK/ubob.msg")
	[ -n "$refused" ] || fail "bob's UDP device sent no 480"
	refused=$(date -d "$refused" +%s.%N)
	# (command: t_surface.sh defines a function stat)
	got=$(command stat -c %.9Y "$T_WORK/tbob.dev/msg-1.sip" 2>/dev/null || echo 0)
	awk -v a="$refused" -v b="$got" 'BEGIN { exit !(b > a) }' ||
		fail "bob's TLS device got the push at $got, not after the 480 at $refused"
	[ -e "$T_WORK/tbob.dev/msg-1.hdr" ] || fail "the second class (TLS) did not get the push"
	assert_grep "$T_WORK/tbob.dev/msg-1.hdr" \
		"^MESSAGE sip:bob@127\.0\.0\.1:$TLS_DEV_PORT;transport=tls SIP/2\.0" \
		"Request-URI of the serial push: bob's TLS binding"
	assert_grep "$T_WORK/tbob.dev/msg-1.hdr" "^Via: SIP/2\.0/TLS 127\.0\.0\.1:$TLS_PORT;" \
		"the second class got it over TLS"

	# carol: the TLS device of the first q class takes it, the UDP device
	# of the second is not tried
	tls_device tcarol carol ";q=0.9;$TLS_PT=\"mms.ua\""
	device ucarol carol ";q=0.5;$TLS_PT=\"mms.ua\""
	send_push p3 carol "application/vnd.wap.mms-message"
	assert_eq "$FINAL" 200 "final response of the serial push to carol"
	tls_dev_wait tcarol
	assert_eq "$(raw_count tcarol)" 1 "pushes at carol's TLS device"
	assert_grep "$T_WORK/tcarol.dev/msg-1.hdr" "^Via: SIP/2\.0/TLS 127\.0\.0\.1:$TLS_PORT;" \
		"carol's first class got it over TLS"
	assert_eq "$(received_count ucarol)" 0 "pushes at carol's UDP device (second class)"
}

# A Push Sender Agent over TLS whose certificate the test's authority
# signed for TLS_SENDER is trusted: its P-Asserted-Identity reaches the
# device. Over TLS without a client certificate, with a verified one
# naming another sender, or over UDP from outside TRUSTED_NET, the
# identity is removed.
test_tls_sender_verified_certificate_keeps_identity()
{
	tls_certs
	tls_args
	identity_setup "${TLS_ARGS[@]}" -A "TLS_TRUSTED_SENDER=\"$TLS_SENDER\""
	wait_for 100 tls_listening "$TLS_PORT" ||
		fail "kamailio does not listen for TLS on port $TLS_PORT"
	tls_identity_push trusted "$TLS_SENT_ID" "$TLS_SENDER"
	tls_identity_push nocert "" ""
	tls_identity_push othercn "" other.push.example.net
	tls_push udp
	assert_eq "$RAW_RC/$FINAL" 0/200 "exit status/final response of the push over UDP"
	wait_for 50 dev_got_more 3 || fail "device did not get push udp"
	sleep 0.2
	assert_eq "$(tls_identity_of udp)" "" "identity headers of push udp at the device"
	assert_grep "$T_WORK/dev.msg" "^Call-ID: udp-" "push udp at the device"
	assert_eq "$(grep -c 'push from untrusted 127\.0\.0\.1: identity removed' "$KAM_LOG")" 3 \
		"untrusted pushes logged"
		# the device's 200, relayed on the sender's connection
	assert_grep "$T_WORK/trusted.resp" '^SIP/2\.0 200 ' "the trusted sender's 200"
}

# A certificate naming TLS_SENDER but issued by another authority: with
# TLS_VERIFY_CLIENT "optional" (the default) the handshake fails and
# nothing is delivered; the certificate-less sender still gets through.
test_tls_sender_certificate_of_other_authority_refused()
{
	tls_certs
	tls_args
	identity_setup "${TLS_ARGS[@]}" -A "TLS_TRUSTED_SENDER=\"$TLS_SENDER\""
	tls_sender_args "$TLS_SENDER" "$T_WORK/rogue"
	tls_push rogue "${SENDER_ARGS[@]}"
	assert_eq "$RAW_RC" 2 "rawsip's exit status for the refused handshake"
	assert_eq "$FINAL" "" "final response to the rogue sender"
	assert_grep "$T_WORK/rogue.err" 'unknown ca|certificate|closed the connection' \
		"the rogue sender's error"
	assert_grep "$KAM_LOG" 'certificate verify failed' "the proxy's log of the handshake"
	tls_identity_push nocert "" ""
	assert_eq "$(received_count dev)" 1 "pushes at the device"
}

# With TLS_VERIFY_CLIENT "optional_no_ca" the connection of that rogue
# certificate is taken, but it is not verified: the identity is removed.
test_tls_sender_unverified_certificate_untrusted()
{
	tls_certs
	tls_args
	identity_setup "${TLS_ARGS[@]}" -A "TLS_TRUSTED_SENDER=\"$TLS_SENDER\"" \
		-A 'TLS_VERIFY_CLIENT="optional_no_ca"'
	tls_identity_push rogue "" "$TLS_SENDER" "$T_WORK/rogue"
	tls_identity_push trusted "$TLS_SENT_ID" "$TLS_SENDER"
}

# Off by default: WITH_TLS without TLS_TRUSTED_SENDER trusts no
# certificate.
test_tls_sender_trust_off_without_trusted_sender()
{
	tls_certs
	tls_args
	identity_setup "${TLS_ARGS[@]}"
	tls_identity_push verified "" "$TLS_SENDER"
}

# The same in cfg/push-proxy.lua (KEMI).
test_lua_tls_device_gets_push_over_tls()
{
	with_lua test_tls_device_registers_and_gets_push_over_tls
}

test_lua_tls_sender_verified_certificate_keeps_identity()
{
	with_lua test_tls_sender_verified_certificate_keeps_identity
}

test_lua_tls_sender_unverified_certificate_untrusted()
{
	with_lua test_tls_sender_unverified_certificate_untrusted
}
