# Bindings whose feature tags are unknown (saved by registrar's save(), as
# a proxy without this module did: -A LEGACY_SAVE) versus bindings that
# registered none, and refreshes that change or drop tags.

UNK_PT='+g.oma.pusheventapp'
UNK_MMS=application/vnd.wap.mms-message

unk_stat()
{
	kam_rpc stats.get_statistics push: | sed -n "s/^push:$1 = \([0-9]*\)\$/\1/p"
}

# Start the proxy (extra args: defines) with device dev of alice registered
# through registrar's save() by a proxy started with LEGACY_SAVE, which is
# then restarted on the same database without it.
unk_legacy_binding()
{
	kam_start cfg/push-proxy.cfg -A LEGACY_SAVE
	device dev alice ";$UNK_PT=\"mms.ua\""
	kam_stop
	KAM_ARGS=("$@")
	kam_start_again
	wait_for 50 test -S "$KAM_CTL"
}

test_unknown_tags_excluded_by_default()
{
	unk_legacy_binding
	kam_rpc push.caps alice >"$T_WORK/caps"
	assert_grep "$T_WORK/caps" 'tags: unknown' "push.caps of the legacy binding"
	kam_rpc push.match alice "*;$UNK_PT=\"mms.ua\";require;explicit" \
		>"$T_WORK/match"
	assert_grep "$T_WORK/match" 'verdict: unknown-tags' "push.match verdict"
	send_push p1 alice "$UNK_MMS"
	assert_eq "$FINAL" 480 "final response"
	send_push p2 alice text/plain
	assert_eq "$FINAL" 480 "final response to a push of no application"
	assert_eq "$(received_count dev)" 0 "pushes at the device"
	assert_eq "$(unk_stat tags_unknown)" 2 "push:tags_unknown"
	assert_eq "$(grep -c 'has no stored feature tags' "$T_WORK/kamailio.log")" 1 \
		"warnings about the binding"
}

test_unknown_tags_immune_by_parameter()
{
	unk_legacy_binding -A 'UNKNOWN_TAGS="immune"'
	send_push p1 alice "$UNK_MMS"
	assert_eq "$FINAL" 200 "final response"
	wait_deliveries 1 dev
	assert_eq "$(received_count dev)" 1 "pushes at the device"
	assert_eq "$(unk_stat tags_unknown)" 1 "push:tags_unknown"
}

# Migration: the next REGISTER through push_save() makes the tags known.
test_unknown_tags_known_after_refresh()
{
	unk_legacy_binding
	register alice "<sip:alice@127.0.0.1:${DEV_PORT[dev]}>;$UNK_PT=\"mms.ua\""
	kam_rpc push.caps alice >"$T_WORK/caps"
	assert_no_grep "$T_WORK/caps" 'tags: unknown' "push.caps after the refresh"
	send_push p1 alice "$UNK_MMS"
	assert_eq "$FINAL" 200 "final response"
	assert_eq "$(unk_stat tags_unknown)" 0 "push:tags_unknown"
}

# A device that registered no feature tags is known to have none: it is
# immune (RFC 3841), and push.caps shows empty tags, not unknown ones.
test_unknown_tags_none_registered_is_known()
{
	kam_start cfg/push-proxy.cfg
	device dev alice ""
	kam_rpc push.caps alice >"$T_WORK/caps"
	assert_grep "$T_WORK/caps" 'tags: *$' "push.caps of a binding without tags"
	send_push p1 alice "$UNK_MMS"
	assert_eq "$FINAL" 200 "final response"
	assert_eq "$(unk_stat tags_unknown)" 0 "push:tags_unknown"
}
