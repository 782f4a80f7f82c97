# Identity enforcement (spec-notes section 6, ID-T cases): push senders on
# 127.0.0.2 are inside the trust domain of cfg/push-proxy.cfg, those on
# 127.0.0.1 are not. Each test asserts the identity headers the device saw.

TRUSTED=127.0.0.2
UNTRUSTED=127.0.0.1
DEFAULT_ID='P-Asserted-Identity: <sip:mms-push@push.example.net>'

# send_from ADDR NAME [HEADER-LINES]: one push to alice from ADDR.
send_from()
{
	SIPP_SRC=$1 send_push "$2" alice text/plain "${3:-X-Test: $2}"
}

# Start the proxy with one registered device (answering 200).
identity_setup()
{
	kam_start cfg/push-proxy.cfg "$@"
	device dev alice ""
}

# The identity headers of the push the device got, one per line.
identity_seen()
{
	received_message dev | tr -d '\r' |
		grep -E '^(P-Asserted-Identity|P-Preferred-Identity):' || true
}

# push_identity NAME FROM HEADERS EXPECTED: send, and compare what the
# device saw.
push_identity()
{
	send_from "$2" "$1" "$3"
	assert_eq "$FINAL" 200 "final response"
	wait_deliveries 1 dev
	[ "$(received_count dev)" -ge 1 ] || fail "device did not get the push"
	assert_eq "$(identity_seen)" "$4" "identity headers at the device"
}

test_identity_t01_trusted_pai_kept()
{
	identity_setup
	push_identity p1 $TRUSTED 'P-Asserted-Identity: <sip:mms-push@pushas.example.net>' \
		'P-Asserted-Identity: <sip:mms-push@pushas.example.net>'
}

test_identity_t02_untrusted_pai_removed()
{
	identity_setup
	push_identity p1 $UNTRUSTED 'P-Asserted-Identity: <sip:mms-push@pushas.example.net>' ''
}

test_identity_t02_untrusted_rejected_by_policy()
{
	identity_setup -A REJECT_UNTRUSTED_PUSH
	send_from $UNTRUSTED p1 'P-Asserted-Identity: <sip:mms-push@pushas.example.net>'
	assert_eq "$FINAL" 403 "final response"
	assert_eq "$(received_count dev)" 0 "pushes delivered"
}

test_identity_t06_trusted_without_pai_gets_default()
{
	identity_setup
	push_identity p1 $TRUSTED "" "$DEFAULT_ID"
}

test_identity_ppi_among_identities_asserted()
{
	identity_setup
	push_identity p1 $TRUSTED 'P-Preferred-Identity: <sip:ulp-push@push.example.net>' \
		'P-Asserted-Identity: <sip:ulp-push@push.example.net>'
}

test_identity_ppi_not_ours_gets_default()
{
	identity_setup
	push_identity p1 $TRUSTED 'P-Preferred-Identity: <sip:bob@push.example.net>' \
		"$DEFAULT_ID"
}

test_identity_t07_privacy_id_removes()
{
	identity_setup
	push_identity p1 $TRUSTED "$(printf '%s\r\n%s' \
		'P-Asserted-Identity: <sip:mms-push@pushas.example.net>' 'Privacy: id')" ''
}

test_identity_t07_privacy_id_removes_inserted()
{
	identity_setup
	push_identity p1 $TRUSTED 'Privacy: id' ''
}

test_identity_t08_privacy_none_keeps()
{
	identity_setup
	push_identity p1 $TRUSTED "$(printf '%s\r\n%s' \
		'P-Asserted-Identity: <sip:mms-push@pushas.example.net>' 'Privacy: none')" \
		'P-Asserted-Identity: <sip:mms-push@pushas.example.net>'
}

test_identity_t20_t21_privacy_lists_with_id()
{
	identity_setup
	device dev2 alice ""
	send_from $TRUSTED p1 "$(printf '%s\r\n%s' \
		'P-Asserted-Identity: <sip:a@op.net>' 'Privacy: id;critical')"
	assert_eq "$FINAL" 200 "final response to id;critical"
	send_from $TRUSTED p2 "$(printf '%s\r\n%s' \
		'P-Asserted-Identity: <sip:a@op.net>' 'Privacy: header;id')"
	assert_eq "$FINAL" 200 "final response to header;id"
	assert_no_grep "$T_WORK/dev.msg" '^P-Asserted-Identity' "PAI forwarded"
	assert_no_grep "$T_WORK/dev2.msg" '^P-Asserted-Identity' "PAI forwarded"
}

test_identity_t10_sip_and_tel_kept()
{
	identity_setup
	push_identity p1 $TRUSTED \
		'P-Asserted-Identity: "Push" <sip:push@op.net>, <tel:+15550100>' \
		'P-Asserted-Identity: "Push" <sip:push@op.net>, <tel:+15550100>'
}

test_identity_t10_two_header_lines_kept()
{
	identity_setup
	hdrs=$(printf '%s\r\n%s' 'P-Asserted-Identity: <sip:push@op.net>' \
		'P-Asserted-Identity: <tel:+15550100>')
	push_identity p1 $TRUSTED "$hdrs" "$(printf '%s\n%s' \
		'P-Asserted-Identity: <sip:push@op.net>' 'P-Asserted-Identity: <tel:+15550100>')"
}

test_identity_t11_second_sip_dropped()
{
	identity_setup
	push_identity p1 $TRUSTED 'P-Asserted-Identity: <sip:a@op.net>, <sip:b@op.net>' \
		'P-Asserted-Identity: <sip:a@op.net>'
}

test_identity_t12_sips_then_sip()
{
	identity_setup
	push_identity p1 $TRUSTED 'P-Asserted-Identity: <sips:a@op.net>, <sip:a@op.net>' \
		'P-Asserted-Identity: <sips:a@op.net>'
}

test_identity_t13_other_scheme_dropped()
{
	identity_setup
	push_identity p1 $TRUSTED 'P-Asserted-Identity: <mailto:a@op.net>, <sip:a@op.net>' \
		'P-Asserted-Identity: <sip:a@op.net>'
}

test_identity_t14_malformed_removed()
{
	identity_setup
	push_identity p1 $TRUSTED 'P-Asserted-Identity: <sip:a@op.net' "$DEFAULT_ID"
}

test_identity_t15_untrusted_pai_and_ppi_removed()
{
	identity_setup
	push_identity p1 $UNTRUSTED "$(printf '%s\r\n%s' \
		'P-Asserted-Identity: <sip:a@op.net>' 'P-Preferred-Identity: <sip:a@op.net>')" ''
}

test_identity_t16_fifty_values()
{
	identity_setup
	values='<sip:first@op.net>'
	for i in $(seq 2 25); do values="$values, <sip:u$i@op.net>"; done
	values="$values, <tel:+15550100>"
	for i in $(seq 27 50); do values="$values, <tel:+1555$i>"; done
	push_identity p1 $TRUSTED "P-Asserted-Identity: $values" \
		'P-Asserted-Identity: <sip:first@op.net>, <tel:+15550100>'
}

test_identity_huge_and_malformed_headers_no_crash()
{
	identity_setup
	values='<sip:u0@op.net>'
	for i in $(seq 1 999); do values="$values,<sip:u$i@o>"; done
	send_from $TRUSTED p1 "P-Asserted-Identity: $values"
	assert_eq "$FINAL" 200 "push with a 1000-value PAI"
	send_from $UNTRUSTED p2 'P-Asserted-Identity: "unterminated <sip:a@op.net>'
	assert_eq "$FINAL" 200 "push with a malformed PAI"
	kam_rpc core.uptime >/dev/null || fail "kamailio no longer answers"
	assert_eq "$(grep -c '^P-Asserted-Identity:' "$T_WORK/dev.msg")" 1 \
		"PAI headers the device got (the trusted sender's first value)"
	assert_grep "$T_WORK/dev.msg" '^P-Asserted-Identity: <sip:u0@op.net>' \
		"the first value of the large header"
}

# The whole path: the Push Receiver Agent accepts a trusted push and refuses
# the spoofed one, whose PAI the proxy removed.
test_identity_whole_path_trusted_and_spoofing_sender()
{
	kam_start cfg/push-proxy.cfg
	device pra alice "" push-receiver.xml
	send_from $TRUSTED p1
	assert_eq "$FINAL" 200 "trusted push accepted by the receiver"
	send_from $UNTRUSTED p2 'P-Asserted-Identity: <sip:mms-push@push.example.net>'
	assert_eq "$FINAL" 403 "spoofed push refused by the receiver"
	kam_rpc stats.get_statistics push: >"$T_WORK/stats"
	assert_grep "$T_WORK/stats" 'push:pai_inserted = 1$' "pai_inserted"
	assert_grep "$T_WORK/stats" 'push:pai_removed_untrusted = 1$' "pai_removed_untrusted"
	assert_grep "$T_WORK/stats" 'push:pai_kept = 0$' "pai_kept"
}

# A push held for a device that registers later (WITH_HOLD) is stored as it
# would be forwarded to a device: with Privacy: id, without the identity,
# so the device gets none when it comes.
test_identity_t07_privacy_id_held_push()
{
	kam_start cfg/push-proxy.cfg -A WITH_HOLD
	send_from $TRUSTED p1 "$(printf '%s\r\n%s' \
		'P-Asserted-Identity: <sip:mms-push@pushas.example.net>' 'Privacy: id')"
	assert_eq "$FINAL" 202 "final response to the held push"
	device dev alice ""
	wait_deliveries 1 dev
	[ "$(received_count dev)" -ge 1 ] || fail "device did not get the held push"
	assert_eq "$(identity_seen)" "" "identity headers at the device"
}

# TRUSTED_NET holds a list: a sender in the second network is trusted, one
# in none is not.
test_identity_trusted_net_list()
{
	identity_setup -A 'TRUSTED_NET="127.0.0.9/32, 127.0.0.2/32"'
	push_identity p1 $TRUSTED 'P-Asserted-Identity: <sip:mms-push@pushas.example.net>' \
		'P-Asserted-Identity: <sip:mms-push@pushas.example.net>'
}

test_identity_trusted_net_list_others_untrusted()
{
	identity_setup -A 'TRUSTED_NET="127.0.0.9/32, 127.0.0.2/32"'
	push_identity p1 127.0.0.3 'P-Asserted-Identity: <sip:mms-push@pushas.example.net>' ''
}

# trusted_net_refused VALUE: the configuration check of the example with
# TRUSTED_NET="VALUE" fails, and its log names the list.
trusted_net_refused()
{
	(cd "$ROOT" && "$KAM_BIN" -c -f cfg/push-proxy.cfg "${KAM_PATH_ARGS[@]}" \
		-A "TRUSTED_NET=\"$1\"" >"$T_WORK/check.log" 2>&1) &&
		fail "the configuration check passed with trusted_net '$1'"
	assert_grep "$T_WORK/check.log" "trusted_net '$1': an empty or invalid network" \
		"the log names the list"
}

# A list with an empty or invalid member stops the startup.
test_identity_trusted_net_list_invalid_refused()
{
	trusted_net_refused "127.0.0.2/32,,10.0.0.0/8"
}

# An IPv4 address with a part above 255 is no address: refused, never read
# as another network (Kamailio's parser would wrap 258 to 2).
test_identity_trusted_net_out_of_range_refused()
{
	trusted_net_refused "127.0.1.258/32"
}
