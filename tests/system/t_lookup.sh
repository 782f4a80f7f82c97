# push_save() and push_lookup(): a push reaches exactly the registered
# devices that match its caller preferences (cfg/push-proxy.cfg; each device
# is a SIPp UAS with its own binding under the AOR "alice").

PT='+g.oma.pusheventapp'
MMS=application/vnd.wap.mms-message

# Three devices: one registered for mms.ua, one for sms.ua, one without
# any feature tag.
three_devices()
{
	device mms alice ";$PT=\"mms.ua\""
	device sms alice ";$PT=\"sms.ua\""
	device bare alice ""
}

test_lookup_require_explicit_reaches_matching_devices()
{
	kam_start cfg/push-proxy.cfg
	three_devices
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 200 "final response"
	wait_deliveries 2 mms sms bare
	# the untagged device is immune to caller preferences (RFC 3841)
	assert_eq "$(delivered_order mms sms bare | tr ' ' '\n' | sort | xargs)" \
		"bare mms" "devices that got the mms.ua push"
}

test_lookup_strict_explicit_excludes_untagged()
{
	kam_start cfg/push-proxy.cfg -A STRICT_EXPLICIT=1
	three_devices
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 200 "final response"
	wait_deliveries 1 mms sms bare
	assert_eq "$(delivered_order mms sms bare)" "mms" \
		"devices that got the push with strict_explicit"
}

# spec-notes CP-T01: the RFC 3841 section 7.2.5 example, as a MESSAGE.
# Every device refuses with 480, so the serial fork shows its whole order.
test_lookup_rfc3841_example_order()
{
	kam_start cfg/push-proxy.cfg
	device u1 alice ';q=0.2;audio;video;methods="INVITE,BYE"' device-480.xml
	device u2 alice ';q=0.2;audio="FALSE";methods="INVITE";actor="msg-taker"' device-480.xml
	device u3 alice ';q=0.3;audio;actor="msg-taker";methods="INVITE";video' device-480.xml
	device u4 alice ';q=0.2;audio;methods="INVITE,OPTIONS"' device-480.xml
	device u5 alice ';q=0.5' device-480.xml
	hdrs=$(printf '%s\r\n%s\r\n%s\r\n%s' \
		'Reject-Contact: *;actor="msg-taker";video' \
		'Accept-Contact: *;audio;require' \
		'Accept-Contact: *;video;explicit' \
		'Accept-Contact: *;methods="BYE";class="business";q=1.0')
	send_push push1 alice text/plain "$hdrs"
	assert_eq "$FINAL" 480 "final response when every device refuses"
	# u5 first (q 0.5), then u1 and u4 (q 0.2) forked together
	assert_eq "$(delivered_order u1 u2 u3 u4 u5 | cut -d' ' -f1)" u5 \
		"the device of the highest q got the push first"
	assert_eq "$(delivered_order u1 u2 u3 u4 u5 | cut -d' ' -f2- | tr ' ' '\n' | sort | xargs)" \
		"u1 u4" "the devices of the next q value"
}

# The untagged device ranks first (immune, Qa 1), the mms.ua one next (Qa 0:
# a Reject-Contact suppresses the implicit preferences and no Accept value
# scores it); every device refuses, so the serial fork shows both.
test_lookup_reject_contact()
{
	kam_start cfg/push-proxy.cfg
	device mms alice ";$PT=\"mms.ua\"" device-480.xml
	device sms alice ";$PT=\"sms.ua\"" device-480.xml
	device bare alice "" device-480.xml
	send_push push1 alice text/plain "Reject-Contact: *;$PT=\"sms.ua\""
	assert_eq "$FINAL" 480 "final response"
	assert_eq "$(delivered_order mms sms bare | tr ' ' '\n' | sort | xargs)" \
		"bare mms" "devices not rejected"
}

# spec-notes CP-T36: no caller preferences at all, so the implicit
# methods="MESSAGE" preference applies.
test_lookup_implicit_methods()
{
	kam_start cfg/push-proxy.cfg
	device a alice ";$PT=\"mms.ua\";methods=\"MESSAGE,OPTIONS\""
	device b alice ';methods="INVITE"'
	send_push push1 alice text/plain
	assert_eq "$FINAL" 200 "final response"
	wait_deliveries 1 a b
	assert_eq "$(delivered_order a b)" "a" "devices that accept MESSAGE"
}

# spec-notes CP-T12: when the implicit preferences leave nobody, the whole
# set is used in q order (the devices then answer for themselves).
test_lookup_implicit_revert()
{
	kam_start cfg/push-proxy.cfg
	device a alice ';q=0.5;methods="INVITE,BYE"' device-480.xml
	device b alice ';q=0.9;methods="INVITE"' device-480.xml
	send_push push1 alice text/plain
	assert_eq "$FINAL" 480 "final response"
	assert_eq "$(delivered_order a b)" "b a" "original set in q order"
}

# spec-notes CP-T13: implicit preferences drop the device without MESSAGE;
# b (Qa 1) and c (Qa 0) share a q value: forked together, b first.
test_lookup_implicit_partial()
{
	kam_start cfg/push-proxy.cfg
	device a alice ';q=0.5;methods="INVITE,BYE"' device-480.xml
	device b alice ';q=0.9;methods="INVITE,MESSAGE"' device-480.xml
	device c alice ';q=0.9;audio' device-480.xml
	send_push push1 alice text/plain
	assert_eq "$FINAL" 480 "final response"
	assert_eq "$(delivered_order a b c | tr ' ' '\n' | sort | xargs)" "b c" \
		"devices that got it"
}

# Two devices of one q value, the first matching better (Qa 1) and never
# answering, the other matching less (Qa 0): one fork class, so both get
# the push at once (RFC 3841 ranks by Qa only inside a q value); with
# qa_fork_classes the second waits for the first to time out.
same_q_devices()
{
	device best alice ";q=1.0;$PT=\"mms.ua\"" device-silent.xml
	device less alice ";q=1.0;$PT=\"sms.ua\""
}

test_lookup_same_q_one_fork_class()
{
	kam_start cfg/push-proxy.cfg
	same_q_devices
	send_push_bg push1 alice text/plain "Accept-Contact: *;$PT=\"mms.ua\""
	wait_deliveries 2 best less
	assert_eq "$(delivered_order best less | tr ' ' '\n' | sort | xargs)" \
		"best less" "devices of the q value reached before the first timed out"
}

test_lookup_same_q_qa_fork_classes()
{
	kam_start cfg/push-proxy.cfg -A QA_FORK_CLASSES=1
	same_q_devices
	send_push_bg push1 alice text/plain "Accept-Contact: *;$PT=\"mms.ua\""
	wait_deliveries 1 best less
	# well inside the 5 s the best device has to time out (fr_timer)
	sleep 1
	assert_eq "$(delivered_order best less)" "best" \
		"the device matching less before the better one timed out"
}

# Three tagged devices at three q values, every one refusing: the serial
# fork walks the q classes, unless Request-Disposition says otherwise.
disposition_devices()
{
	device d1 alice ";q=1.0;$PT=\"mms.ua\"" device-480.xml
	device d2 alice ";q=0.7;$PT=\"mms.ua\"" device-480.xml
	device d3 alice ";q=0.4;$PT=\"mms.ua\"" device-480.xml
}

test_lookup_disposition_no_fork()
{
	kam_start cfg/push-proxy.cfg
	disposition_devices
	send_push push1 alice "$MMS" 'Request-Disposition: no-fork'
	assert_eq "$FINAL" 480 "final response"
	wait_deliveries 1 d1 d2 d3
	assert_eq "$(delivered_order d1 d2 d3)" "d1" "only the best device"
}

test_lookup_disposition_sequential()
{
	kam_start cfg/push-proxy.cfg
	disposition_devices
	send_push push1 alice "$MMS" 'Request-Disposition: sequential'
	assert_eq "$FINAL" 480 "final response"
	assert_eq "$(delivered_order d1 d2 d3)" "d1 d2 d3" "one device after another"
}

test_lookup_serial_next_class_after_480()
{
	kam_start cfg/push-proxy.cfg
	device busy alice ";q=1.0;$PT=\"mms.ua\"" device-480.xml
	device next alice ";q=0.5;$PT=\"mms.ua\""
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 200 "final response"
	assert_eq "$(delivered_order busy next)" "busy next" \
		"the next q class got the push after the 480"
}

# Devices that never answer: a serial fork would wait for the first one to
# time out before trying the next, a parallel one reaches all at once.
test_lookup_disposition_parallel()
{
	kam_start cfg/push-proxy.cfg
	device d1 alice ";q=1.0;$PT=\"mms.ua\"" device-silent.xml
	device d2 alice ";q=0.7;$PT=\"mms.ua\"" device-silent.xml
	device d3 alice ";q=0.4;$PT=\"mms.ua\"" device-silent.xml
	send_push_bg push1 alice "$MMS" 'Request-Disposition: parallel'
	wait_deliveries 3 d1 d2 d3
	assert_eq "$(delivered_order d1 d2 d3 | tr ' ' '\n' | sort | xargs)" \
		"d1 d2 d3" "devices reached before the first one timed out"
}

test_lookup_multi_contact_register()
{
	kam_start cfg/push-proxy.cfg
	free_port
	p1=$FREE_PORT
	free_port
	p2=$FREE_PORT
	sipp_device one "$p1"
	sipp_device two "$p2"
	register alice "<sip:alice@127.0.0.1:$p1>;$PT=\"mms.ua\", <sip:alice@127.0.0.1:$p2>;$PT=\"sms.ua\""
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 200 "final response"
	wait_deliveries 1 one two
	assert_eq "$(delivered_order one two)" "one" "the Contact registered for mms.ua"
	kam_rpc ul.dump >"$T_WORK/ul.dump"
	assert_eq "$(grep -c 'Address: sip:alice@' "$T_WORK/ul.dump")" 2 "bindings"
	# (ul.dump of Kamailio 5.6 does not print attributes; push.caps does)
	kam_rpc push.caps alice | tr -d '\t' >"$T_WORK/caps"
	assert_eq "$(grep -A4 "contact: sip:alice@127.0.0.1:$p1" "$T_WORK/caps" |
		grep '^tags:')" "tags: ;$PT=\"mms.ua\"" "tags of the first Contact's binding"
	assert_eq "$(grep -A4 "contact: sip:alice@127.0.0.1:$p2" "$T_WORK/caps" |
		grep '^tags:')" "tags: ;$PT=\"sms.ua\"" "tags of the second Contact's binding"
	# each binding keeps the feature tags of its own Contact, one row each
	kam_stop
	assert_eq "$(sqlite3 "$KAM_DB" 'select count(distinct ruid) || " " ||
		count(distinct avalue) || " " || count(*) from location_attrs')" "2 2 2" \
		"bindings, distinct feature sets and rows in location_attrs"
}

test_lookup_refresh_changes_tags()
{
	kam_start cfg/push-proxy.cfg
	device dev alice ";$PT=\"mms.ua\""
	register alice "<sip:alice@127.0.0.1:${DEV_PORT[dev]}>;$PT=\"sms.ua\""
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 480 "push for the app the refresh dropped"
	register alice "<sip:alice@127.0.0.1:${DEV_PORT[dev]}>"
	send_push push2 alice "$MMS"
	assert_eq "$FINAL" 200 "push after a refresh without tags (immune)"
}

test_lookup_unregister()
{
	kam_start cfg/push-proxy.cfg
	device dev alice ";$PT=\"mms.ua\""
	register alice "<sip:alice@127.0.0.1:${DEV_PORT[dev]}>" 0
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 404 "push after the only binding was removed"
}

test_lookup_same_instance_newest_wins()
{
	kam_start cfg/push-proxy.cfg
	inst=';+sip.instance="<urn:uuid:00000000-0000-0000-0000-0000000000aa>"'
	device old alice "$inst;$PT=\"sms.ua\""
	sleep 1.1 # a later registration time for the newer binding
	device new alice "$inst;$PT=\"mms.ua\""
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 200 "push for the newest binding's app"
	send_push push2 alice "$MMS" "Accept-Contact: *;$PT=\"sms.ua\";require;explicit"
	wait_deliveries 1 old new
	assert_eq "$(delivered_order old new)" "new" "one target per instance"
	assert_eq "$(received_count new)" 1 "pushes the newest binding got"
}

test_lookup_survives_restart()
{
	kam_start cfg/push-proxy.cfg
	device mms alice ";$PT=\"mms.ua\""
	device sms alice ";$PT=\"sms.ua\""
	kam_stop
	assert_eq "$(sqlite3 "$KAM_DB" 'select count(*) from location_attrs')" 2 \
		"attribute rows in the database"
	kam_start_again
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 200 "push after the restart"
	wait_deliveries 1 mms sms
	assert_eq "$(delivered_order mms sms)" "mms" "device routed by its stored tag"
}

test_lookup_malformed_accept_contact_400()
{
	kam_start cfg/push-proxy.cfg
	device dev alice ";$PT=\"mms.ua\""
	send_push push1 alice text/plain "Accept-Contact: *;$PT=\"mms.ua;require"
	assert_eq "$FINAL" 400 "final response"
	assert_grep "$T_WORK/push1.msg" '^SIP/2.0 400 Bad Accept-Contact: ' \
		"reason phrase names the header"
	assert_eq "$(received_count dev)" 0 "pushes delivered"
}

test_lookup_unknown_user_404()
{
	kam_start cfg/push-proxy.cfg
	send_push push1 nobody "$MMS"
	assert_eq "$FINAL" 404 "final response"
}

test_lookup_nothing_eligible_480()
{
	kam_start cfg/push-proxy.cfg
	device sms alice ";$PT=\"sms.ua\""
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 480 "final response"
	assert_eq "$(received_count sms)" 0 "pushes delivered"
}

test_lookup_malformed_contact_params_400()
{
	kam_start cfg/push-proxy.cfg
	free_port
	good="<sip:alice@127.0.0.1:$FREE_PORT>;$PT=\"mms.ua\""
	# a numeric value without relation, beside a well-formed Contact
	sipp_run reg1 register-400.xml -key user alice -key expires 600 \
		-key contact "$good, <sip:alice@127.0.0.1:5999>;$PT=\"#4\"" ||
		fail "REGISTER with a malformed feature parameter not answered 400"
	assert_grep "$T_WORK/reg1.msg" \
		'^SIP/2.0 400 Bad Contact feature parameter: numeric value without relation' \
		"reason phrase names the problem"
	# an unterminated quote: the Contact cannot even be split
	sipp_run reg2 register-400.xml -key user alice -key expires 600 \
		-key contact "<sip:alice@127.0.0.1:5999>;$PT=\"mms.ua;q=1" ||
		fail "REGISTER with an unterminated quote not answered 400"
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 404 "push after the refused REGISTERs: nothing stored"
}

# Each worker reuses the caller preferences of its last push when the next
# one carries the same headers: pushes whose preferences differ in turn,
# by their stamp or by one Reject-Contact, each go where their own lead.
test_lookup_alternating_preferences()
{
	kam_start cfg/push-proxy.cfg
	device mms alice ";$PT=\"mms.ua\""
	device ulp alice ";$PT=\"ulp.ua\""
	finals=""
	for round in 1 2 3; do
		send_push "mms$round" alice "$MMS"
		finals="$finals $FINAL"
		send_push "none$round" alice "$MMS" "Reject-Contact: *;$PT=\"mms.ua\""
		finals="$finals $FINAL"
		send_push "ulp$round" alice application/vnd.omaloc-supl-init
		finals="$finals $FINAL"
	done
	assert_eq "$finals" " 200 480 200 200 480 200 200 480 200" "final responses"
	assert_eq "$(received_count mms)" 3 "mms.ua pushes at the mms.ua device"
	assert_eq "$(received_count ulp)" 3 "ulp.ua pushes at the ulp.ua device"
}

# More bindings than a lookup keeps in place (about ten): the same
# selection, in memory of its own. Only one device is real; the others'
# contacts point at the discard port and never answer. (8 targets: tm
# forks to at most 12.)
test_lookup_many_bindings()
{
	kam_start cfg/push-proxy.cfg -A MAX_CONTACTS=30
	device mms alice ";$PT=\"mms.ua\""
	for i in $(seq 1 23); do
		app=sms.ua
		[ $((i % 3)) = 0 ] && app=mms.ua
		register alice "<sip:dev$i@127.0.0.1:9>;$PT=\"$app\";+sip.instance=\"<urn:uuid:00000000-0000-4000-8000-0000000000$(printf %02d "$i")>\""
	done
	kam_rpc push.caps alice >"$T_WORK/caps"
	assert_grep "$T_WORK/caps" 'bindings: 24' "bindings listed"
	# the stored tags name +sip.instance; its value is registrar's
	assert_grep "$T_WORK/caps" \
		'+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000005>"' \
		"an instance among the tags"
	kam_rpc push.match alice \
		'*;+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000005>";require;explicit' \
		>"$T_WORK/match-instance"
	assert_grep "$T_WORK/match-instance" 'targets: 1' "targets of one instance"
	kam_rpc push.match alice "*;$PT=\"mms.ua\";require;explicit" >"$T_WORK/match"
	assert_grep "$T_WORK/match" 'targets: 8' "targets of an mms.ua push"
	send_push push1 alice "$MMS"
	assert_eq "$FINAL" 200 "final response"
	assert_eq "$(received_count mms)" 1 "push at the real device"
	assert_eq "$(stat branches)" 8 "branches of the push"
}

# The example proxy logs one line for every push outcome, with its reason.
test_lookup_outcomes_logged()
{
	kam_start cfg/push-proxy.cfg -A WITH_HOLD
	device mms alice ";$PT=\"mms.ua\""
	send_push routed alice "$MMS"
	assert_eq "$FINAL" 200 "final response of the routed push"
	send_push nomatch alice text/plain "Accept-Contact: *;$PT=\"sms.ua\";require;explicit"
	assert_eq "$FINAL" 202 "final response of the push held for another application"
	send_push bad alice text/plain "Accept-Contact: *;$PT=\"sms.ua"
	assert_eq "$FINAL" 400 "final response of the malformed push"
	kam_stop
	kam_start cfg/push-proxy.cfg
	send_push nodevice bob text/plain
	assert_eq "$FINAL" 404 "final response of the push to a user without device"
	device mms2 carol ";$PT=\"mms.ua\""
	send_push other carol text/plain "Accept-Contact: *;$PT=\"sms.ua\";require;explicit"
	assert_eq "$FINAL" 480 "final response of the push no device matches"
	assert_grep "$KAM_LOG" "push .* for sip:alice@.*: routed to sip:alice@127.0.0.1" "routed"
	assert_grep "$KAM_LOG" "push .* for sip:alice@.*: held \\(no device now\\)" "held"
	assert_grep "$KAM_LOG" "push .* for sip:alice@.*: 400, Bad Accept-Contact" "400"
	assert_grep "$KAM_LOG" "push .* for sip:bob@.*: 404, no registered device" "404"
	assert_grep "$KAM_LOG" "push .* for sip:carol@.*: 480, no device matches" "480"
}

# The proxy serves its own domain: a push for the same user in another
# domain gets 404 and reaches nobody, a REGISTER for another domain 403;
# a push to a tel: URI is one to that number in the proxy's domain; a
# domain of SIP_DOMAIN2 is served too.
test_lookup_own_domain_only()
{
	kam_start cfg/push-proxy.cfg -A 'SIP_DOMAIN2="push2.example.net"'
	device mms alice ";$PT=\"mms.ua\""
	device num +15551230001 ";$PT=\"mms.ua\""
	send_push p1 sip:alice@evil.example.org "$MMS"
	assert_eq "$FINAL" 404 "final response of a push for another domain"
	assert_grep "$KAM_LOG" "for sip:alice@evil.example.org: 404, domain not served" \
		"the log line of the refused push"
	send_push p2 sip:alice@push2.example.net "$MMS"
	assert_eq "$FINAL" 200 "final response of a push for SIP_DOMAIN2"
	send_push p3 tel:+15551230001 "$MMS"
	assert_eq "$FINAL" 200 "final response of a push to a tel: URI"
	wait_deliveries 2 mms num
	assert_eq "$(received_count mms)" 1 "pushes at alice's device"
	assert_eq "$(received_count num)" 1 "pushes at the number's device"
	free_port
	sipp_run r1 register.xml -key user mallory -key domain evil.example.org \
		-key contact "<sip:mallory@127.0.0.1:$FREE_PORT>" -key expires 600 &&
		fail "a REGISTER for another domain was answered 200"
	assert_grep "$KAM_LOG" "REGISTER for sip:mallory@evil.example.org from 127.0.0.1: 403" \
		"the log line of the refused REGISTER"
}
