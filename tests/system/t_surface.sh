# The operator's surface: RPC inspection and dry run, delivery statistics.

PT='+g.oma.pusheventapp'

# stat NAME: the value of push:NAME.
stat()
{
	kam_rpc stats.get_statistics push: | sed -n "s/^push:$1 = \([0-9]*\)\$/\1/p"
}

test_rpc_caps_lists_tags_per_binding()
{
	kam_start cfg/push-proxy.cfg
	device mms alice ";+sip.instance=\"<urn:uuid:aa>\";$PT=\"mms.ua,ulp.ua\";q=0.5"
	device bare alice ""
	kam_rpc push.caps alice >"$T_WORK/caps"
	assert_grep "$T_WORK/caps" "contact: sip:alice@127.0.0.1:${DEV_PORT[mms]}" "mms binding"
	assert_grep "$T_WORK/caps" 'q: 0\.5' "its q"
	assert_grep "$T_WORK/caps" 'instance: <urn:uuid:aa>' "its instance"
	assert_grep "$T_WORK/caps" \
		"tags: ;\\+g\\.oma\\.pusheventapp=\"mms\\.ua,ulp\\.ua\";\\+sip\\.instance=\"<urn:uuid:aa>\"" \
		"its feature tags as registered"
	assert_grep "$T_WORK/caps" "contact: sip:alice@127.0.0.1:${DEV_PORT[bare]}" "bare binding"
	assert_eq "$(grep -c 'tags: $' "$T_WORK/caps")" 1 "bindings without tags"
	kam_rpc push.caps nobody >"$T_WORK/caps2" 2>&1 || true
	assert_grep "$T_WORK/caps2" '^error: 404 - AOR not found' "push.caps of an unknown AOR"
}

# A dry run names every binding's verdict: kept, immune, dropped by
# require, rejected.
test_rpc_match_explains_verdicts()
{
	kam_start cfg/push-proxy.cfg
	device mms alice ";$PT=\"mms.ua\";q=0.5"
	device sms alice ";$PT=\"sms.ua\""
	device rej alice ";$PT=\"mms.ua\";+g.3gpp.smsip"
	device bare alice ";q=0.2"
	kam_rpc push.match alice "*;$PT=\"mms.ua\";require;explicit" '*;+g.3gpp.smsip' \
		>"$T_WORK/match"
	# the binding block of a device: its lines up to the next "binding:"
	for d in mms sms rej bare; do
		awk -v c="contact: sip:alice@127.0.0.1:${DEV_PORT[$d]}" '
			index($0, c) { on = 1 } on && /binding:/ && seen { exit }
			on { print; seen = 1 }' "$T_WORK/match" >"$T_WORK/match.$d"
	done
	assert_grep "$T_WORK/match.mms" 'verdict: kept' "mms verdict"
	assert_grep "$T_WORK/match.mms" 'qa: 1' "mms Qa"
	assert_grep "$T_WORK/match.mms" 'position: 0' "mms position"
	assert_grep "$T_WORK/match.sms" 'verdict: dropped-by-require' "sms verdict"
	assert_grep "$T_WORK/match.sms" 'position: -1' "sms position"
	assert_grep "$T_WORK/match.rej" 'verdict: rejected' "rej verdict"
	assert_grep "$T_WORK/match.bare" 'verdict: immune' "bare verdict"
	assert_grep "$T_WORK/match.bare" 'position: 1' "bare position"
	assert_grep "$T_WORK/match" 'outcome: matched' "outcome"
	assert_grep "$T_WORK/match" 'classes: 2' "q classes"
	assert_eq "$(received_count mms)" 0 "pushes sent by the dry run"
	kam_rpc push.limits >"$T_WORK/limits"
	assert_grep "$T_WORK/limits" 'values_per_header: 16' "push.limits"
}

test_stats_delivered_failed_unroutable()
{
	kam_start cfg/push-proxy.cfg
	device ok alice ";$PT=\"mms.ua\""
	device busy bob ";$PT=\"mms.ua\"" device-480.xml
	device sms carol ";$PT=\"sms.ua\""
	send_push p1 alice application/vnd.wap.mms-message
	assert_eq "$FINAL" 200 "delivered push"
	send_push p2 bob application/vnd.wap.mms-message
	assert_eq "$FINAL" 480 "failed push"
	send_push p3 nobody application/vnd.wap.mms-message
	assert_eq "$FINAL" 404 "push to an unknown user"
	send_push p4 carol application/vnd.wap.mms-message
	assert_eq "$FINAL" 480 "push nobody may take"
	assert_eq "$(stat routed)" 2 "routed"
	assert_eq "$(stat delivered)" 1 "delivered"
	assert_eq "$(stat failed)" 1 "failed"
	assert_eq "$(stat no_contacts)" 1 "no_contacts"
	assert_eq "$(stat no_match)" 1 "no_match"
	assert_eq "$(stat registrations_tagged)" 3 "registrations_tagged"
	# the delivery event saw both outcomes
	assert_grep "$T_WORK/kamailio.log" 'push delivery: .* 200$' "delivery event for the 200"
	assert_grep "$T_WORK/kamailio.log" 'push delivery: .* 480$' "delivery event for the 480"
}

# WITH_PROMETHEUS: GET /metrics on PROM_PORT gives the push: statistics
# (and Kamailio's) in Prometheus text format, moving with the pushes; other
# paths get 404, SIP on that port 403.
test_stats_prometheus_metrics()
{
	free_port
	PROM_PORT=$FREE_PORT
	kam_start cfg/push-proxy.cfg -A WITH_PROMETHEUS -A "PROM_PORT=$PROM_PORT"
	wait_for 100 pap_tcp_listening "$PROM_PORT" ||
		fail "kamailio does not listen for HTTP on TCP port $PROM_PORT"
	device mms alice ";$PT=\"mms.ua\""
	send_push p1 alice "$MMS"
	assert_eq "$FINAL" 200 "final response of the push"
	send_push p2 bob text/plain
	assert_eq "$FINAL" 404 "final response of the push to a user without device"
	curl -s -S --max-time 10 -o "$T_WORK/metrics.txt" -w '%{http_code}' \
		"http://127.0.0.1:$PROM_PORT/metrics" >"$T_WORK/metrics.code" ||
		fail "no answer from /metrics"
	assert_eq "$(cat "$T_WORK/metrics.code")" 200 "HTTP status of /metrics"
	assert_grep "$T_WORK/metrics.txt" '^kamailio_push_routed [0-9.]+ *[0-9]*$' "push:routed"
	assert_eq "$(sed -n 's/^kamailio_push_routed \([0-9]*\).*/\1/p' "$T_WORK/metrics.txt")" 1 \
		"push:routed in the metrics"
	assert_eq "$(sed -n 's/^kamailio_push_no_contacts \([0-9]*\).*/\1/p' "$T_WORK/metrics.txt")" 1 \
		"push:no_contacts in the metrics"
	assert_grep "$T_WORK/metrics.txt" '^kamailio_push_verify_failed ' "push:verify_failed"
	assert_grep "$T_WORK/metrics.txt" '^kamailio_tmx_' "Kamailio's own statistics"
	assert_eq "$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' \
		"http://127.0.0.1:$PROM_PORT/other")" 404 "HTTP status of another path"
}

# The module's version, the one string of modules/push/push_version.h: in
# the startup log and from RPC push.version, with Kamailio's.
test_rpc_version()
{
	local v
	v=$(sed -n 's/^#define PUSH_MODULE_VERSION "\(.*\)"$/\1/p' \
		"$ROOT/modules/push/push_version.h")
	[ -n "$v" ] || fail "no version in push_version.h"
	kam_start cfg/push-proxy.cfg
	assert_grep "$KAM_LOG" "push module $v\$" "the version in the startup log"
	kam_rpc push.version >"$T_WORK/version.out"
	assert_grep "$T_WORK/version.out" "module: $v\$" "the module version from RPC"
	assert_grep "$T_WORK/version.out" "kamailio: [0-9]+\\.[0-9]+\\.[0-9]+" \
		"Kamailio's version from RPC"
}
