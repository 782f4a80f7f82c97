# KEMI parity: the core scenarios again, with the routing logic of
# cfg/push-proxy.lua (app_lua) instead of the native script.

with_lua()
{
	KAM_FLAVOUR_ARGS=(-A WITH_LUA)
	"$@"
}

test_lua_stamp_added_with_exact_text()
{
	with_lua test_stamp_added_with_exact_text
	# the proxy runs app_lua, which sees the push module's KEMI exports
	kam_rpc app_lua.api_list >"$T_WORK/api"
	assert_grep "$T_WORK/api" 'name: stamp' "KSR.push.stamp in app_lua"
}

test_lua_stamp_invalid_app_refused_and_logged()
{
	with_lua test_stamp_invalid_app_refused_and_logged
}

test_lua_save_multi_contact_register()
{
	with_lua test_lookup_multi_contact_register
}

test_lua_lookup_by_feature_tag()
{
	with_lua test_lookup_require_explicit_reaches_matching_devices
}

test_lua_lookup_malformed_accept_contact_400()
{
	with_lua test_lookup_malformed_accept_contact_400
}

test_lua_serial_fork()
{
	with_lua test_lookup_serial_next_class_after_480
}

test_lua_identity_spoof_stripped()
{
	with_lua test_identity_whole_path_trusted_and_spoofing_sender
}

test_lua_identity_privacy_removes_inserted()
{
	with_lua test_identity_t07_privacy_id_removes_inserted
}

test_lua_delivery_statistics_and_callback()
{
	with_lua test_stats_delivered_failed_unroutable
}

test_lua_hostile_framing_refused()
{
	with_lua test_hostile_framing_bare_lf_then_crlf
}

test_lua_hostile_match_budget_503()
{
	with_lua test_hostile_match_budget_503
}

test_lua_hostile_identity_overlong_fails_closed()
{
	with_lua test_hostile_identity_overlong_fails_closed
}

test_lua_pap_mms_push_delivered()
{
	with_lua test_pap_v20_mms_plmn_reaches_mms_devices
}

test_lua_pap_not_pap_requests_404()
{
	with_lua test_pap_not_pap_requests_404
}

# cfg/push-proxy.lua holds a push (KSR.push.hold()) WITH_HOLD; its
# ksr_push_delivery() logs the expiry of one ("push:expired").
test_lua_hold_delivered_at_matching_registration()
{
	with_lua test_hold_delivered_at_matching_registration
	kam_rpc app_lua.api_list >"$T_WORK/api"
	assert_grep "$T_WORK/api" 'name: hold' "KSR.push.hold in app_lua"
}

test_lua_hold_expired_event()
{
	with_lua test_hold_expires_with_event_and_is_not_delivered_later
}

test_lua_outcomes_logged()
{
	with_lua test_lookup_outcomes_logged
}

test_lua_identity_privacy_held_push()
{
	with_lua test_identity_t07_privacy_id_held_push
}

test_lua_stats_prometheus_metrics()
{
	with_lua test_stats_prometheus_metrics
}

test_lua_own_domain_only()
{
	with_lua test_lookup_own_domain_only
}

test_lua_pap_deliver_after_delays_delivery()
{
	with_lua test_pap_deliver_after_delays_delivery
}
