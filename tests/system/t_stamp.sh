# push_stamp(): the Accept-Contact feature tag stamped on push MESSAGEs by
# cfg/push-proxy.cfg (SIPp sender -> kamailio -> SIPp device).

STAMP_MMS='Accept-Contact: *;+g.oma.pusheventapp="mms.ua";require;explicit'
MMS_TYPE=application/vnd.wap.mms-message

# Start the proxy and one registered device (no feature tags: the stock
# lookup() of this config routes to it whatever the stamp says).
stamp_setup()
{
	kam_start cfg/push-proxy.cfg
	free_port
	DEV_PORT=$FREE_PORT
	register dev1 "<sip:dev1@127.0.0.1:$DEV_PORT>"
}

# Lines of the first MESSAGE the device got that start with REGEX.
device_lines()
{
	received_message dev1 | tr -d '\r' | grep -E -- "$1" || true
}

test_stamp_added_with_exact_text()
{
	stamp_setup
	# this device fails its call unless it sees exactly one Accept-Contact,
	# byte for byte the stamp
	(cd "$T_WORK" && exec timeout 30 sipp -sf "$SCEN/device-expect-stamp.xml" \
		-nostdin -i 127.0.0.1 -p "$DEV_PORT" -m 1 -timeout 20s \
		-trace_msg -message_file dev1.msg -trace_err -error_file dev1.err \
		>dev1.out 2>&1) &
	dev=$!
	T_PIDS="$T_PIDS $dev"
	wait_for 50 udp_listening "$DEV_PORT"
	send_push push1 dev1 "$MMS_TYPE"
	assert_eq "$FINAL" 200 "final response to the push"
	wait_exit "$dev" 100 || fail "device saw a wrong or duplicated stamp"
	assert_eq "$(device_lines '^Accept-Contact:')" "$STAMP_MMS" "stamped header"
}

test_stamp_not_duplicated_when_present()
{
	stamp_setup
	sipp_device dev1 "$DEV_PORT" -m 2
	# the sender already asked for mms.ua (other spelling, compact form),
	# as strictly as the stamp would
	send_push push1 dev1 "$MMS_TYPE" 'a: *;+G.OMA.PushEventApp="MMS.UA";explicit;require'
	assert_eq "$FINAL" 200 "final response to the first push"
	send_push push2 dev1 "$MMS_TYPE" "$STAMP_MMS"
	assert_eq "$FINAL" 200 "final response to the second push"
	wait_exit "$DEV_PID" 100 || fail "device did not get both pushes"
	msgs=$(tr -d '\r' <"$T_WORK/dev1.msg")
	assert_eq "$(printf '%s\n' "$msgs" | grep -c -i -E '^(accept-contact|a):')" 2 \
		"Accept-Contact headers in both pushes together"
	printf '%s\n' "$msgs" | grep -qx 'a: \*;+G.OMA.PushEventApp="MMS.UA";explicit;require' ||
		fail "the sender's compact Accept-Contact was not kept"
}

test_stamp_after_asserted_identity()
{
	stamp_setup
	sipp_device dev1 "$DEV_PORT" -m 1
	# from the trust domain without an identity: the identity asserted,
	# then the stamp, both at the end of the headers, in that order, once
	SIPP_SRC=127.0.0.2 send_push push1 dev1 "$MMS_TYPE"
	assert_eq "$FINAL" 200 "final response to the push"
	wait_exit "$DEV_PID" 100 || fail "device did not get the push"
	added=$(printf '%s\n%s' \
		'P-Asserted-Identity: <sip:mms-push@push.example.net>' "$STAMP_MMS")
	assert_eq "$(received_message dev1 | tr -d '\r' | tail -n 2)" "$added" \
		"last header lines"
	assert_eq "$(device_lines '^(P-Asserted-Identity|Accept-Contact):')" \
		"$added" "identity and stamp headers"
}

test_stamp_preserves_received_values()
{
	stamp_setup
	sipp_device dev1 "$DEV_PORT" -m 1
	hdrs=$(printf '%s\r\n%s' \
		'Accept-Contact: *;+g.3gpp.smsip;explicit ,*;audio ;q=0.5' \
		'Reject-Contact: *;video')
	send_push push1 dev1 "$MMS_TYPE" "$hdrs"
	assert_eq "$FINAL" 200 "final response to the push"
	wait_exit "$DEV_PID" 100 || fail "device did not get the push"
	assert_eq "$(device_lines '^(Accept|Reject)-Contact:')" "$(printf '%s\n%s\n%s' \
		'Accept-Contact: *;+g.3gpp.smsip;explicit ,*;audio ;q=0.5' \
		'Reject-Contact: *;video' "$STAMP_MMS")" \
		"received caller preferences, byte for byte, then the stamp"
}

test_stamp_token_list()
{
	stamp_setup
	sipp_device dev1 "$DEV_PORT" -m 1
	send_push push1 dev1 text/plain \
		'X-Wap-Application-Id: x-wap-application:mms.ua,ulp.ua'
	assert_eq "$FINAL" 200 "final response to the push"
	wait_exit "$DEV_PID" 100 || fail "device did not get the push"
	assert_eq "$(device_lines '^Accept-Contact:')" \
		'Accept-Contact: *;+g.oma.pusheventapp="mms.ua,ulp.ua";require;explicit' \
		"stamp for a list of applications"
}

test_stamp_invalid_app_refused_and_logged()
{
	stamp_setup
	sipp_device dev1 "$DEV_PORT" -m 1
	send_push push1 dev1 text/plain \
		'X-Wap-Application-Id: x-wap-application:mms"ua'
	assert_eq "$FINAL" 200 "final response to the push"
	wait_exit "$DEV_PID" 100 || fail "device did not get the push"
	assert_eq "$(device_lines '^Accept-Contact:')" "" "Accept-Contact on the device"
	assert_grep "$T_WORK/kamailio.log" "invalid app id 'mms\"ua'" \
		"push_stamp names the refused value in the log"
}
