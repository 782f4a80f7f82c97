-- Home proxy for OMA "Push using SIP" receivers, with the push module:
-- the routing logic of cfg/push-proxy.cfg written for app_lua (KEMI).
--
-- Start it with cfg/push-proxy.cfg and the define WITH_LUA (which loads
-- app_lua and this file): kamailio -f cfg/push-proxy.cfg -A WITH_LUA
-- The settings, modules and their parameters are those of that file.

-- The identities the proxy asserts for a trusted Push Sender Agent.
local PUSH_IDENTITIES = "sip:mms-push@push.example.net, sip:ulp-push@push.example.net"
-- true: refuse a push from outside the trust domain with 403, instead of
-- delivering it without asserted identity.
local REJECT_UNTRUSTED_PUSH = false

-- SIP request routing
function ksr_request_route()
	ksr_route_reqinit()

	if KSR.is_CANCEL() then
		if KSR.tm.t_check_trans() > 0 then
			KSR.tm.t_relay()
		end
		return 1
	end
	if not KSR.is_ACK() then
		-- retransmissions are absorbed by their transaction
		if KSR.tmx.t_precheck_trans() > 0 then
			KSR.tm.t_check_trans()
			return 1
		end
		if KSR.tm.t_check_trans() == 0 then
			return 1
		end
	end

	if KSR.is_OPTIONS() and KSR.is_myself_ruri() and KSR.corex.has_ruri_user() < 0 then
		KSR.sl.sl_send_reply(200, "OK")
		return 1
	end
	if KSR.is_REGISTER() then
		-- devices are outside the trust domain: see route[REGISTRAR]
		if KSR.push.check_framing() < 0 then
			KSR.sl.sl_send_reply(400, KSR.pv.get("$push(reason)"))
			return 1
		end
		-- push_save() answers the REGISTER itself, as registrar's save() does
		KSR.push.save("location", 0)
		return 1
	end
	if KSR.is_MESSAGE() then
		ksr_route_push()
		return 1
	end
	KSR.sl.sl_send_reply(405, "Method Not Allowed")
	return 1
end

function ksr_route_reqinit()
	if KSR.maxfwd.process_maxfwd(10) < 0 then
		KSR.sl.sl_send_reply(483, "Too Many Hops")
		KSR.x.exit()
	end
	if KSR.sanity.sanity_check(17895, 7) < 0 then
		KSR.warn("malformed request from " .. KSR.pv.get("$si") .. "\n")
		KSR.x.exit()
	end
end

-- A push: police its identity, name its receiver application, then relay
-- it to the registered devices that match its caller preferences.
function ksr_route_push()
	ksr_route_identity()
	local app = ksr_push_app()
	if app ~= "" and KSR.push.stamp(app) < 0 then
		KSR.warn("push app '" .. app .. "' unusable, relayed unstamped\n")
	end
	local rc = KSR.push.lookup("location")
	if rc == 1 then
		ksr_route_relay()
	elseif rc == -1 then
		KSR.sl.sl_send_reply(404, "Not Found")
	elseif rc == -2 then
		KSR.sl.sl_send_reply(480, "Temporarily Unavailable")
	elseif rc == -3 then
		KSR.sl.sl_send_reply(400, KSR.pv.get("$push(reason)"))
	elseif rc == -5 then
		-- matching would cost more than match_budget: try later
		KSR.hdr.append_to_reply("Retry-After: 60\r\n")
		KSR.sl.sl_send_reply(503, KSR.pv.get("$push(reason)"))
	else
		KSR.sl.sl_send_reply(500, "Server Internal Error")
	end
	KSR.x.exit()
end

-- RFC 3325 / RFC 5876: see route[IDENTITY] of cfg/push-proxy.cfg.
function ksr_route_identity()
	local rc = KSR.push.assert_identity(PUSH_IDENTITIES)
	if rc == 1 or rc == 2 then
		return
	end
	if rc == -2 then
		if REJECT_UNTRUSTED_PUSH then
			KSR.sl.sl_send_reply(403, "Push Sender Not Trusted")
			KSR.x.exit()
		end
		KSR.notice("push from untrusted " .. KSR.pv.get("$si") .. ": identity removed\n")
	elseif rc == -3 then
		KSR.sl.sl_send_reply(400, KSR.pv.get("$push(reason)"))
		KSR.x.exit()
	else
		KSR.sl.sl_send_reply(500, "Server Internal Error")
		KSR.x.exit()
	end
end

-- The Push Receiver Agent application a push MESSAGE is for: the WAP push
-- application id, else the content type of the body.
function ksr_push_app()
	local appid = KSR.hdr.get("X-Wap-Application-Id")
	if appid ~= nil then
		return string.match(appid, "([^:]*)$")
	end
	local ctype = KSR.pv.get("$cT") or ""
	if string.find(ctype, "^application/vnd%.wap%.mms%-message") then
		return "mms.ua"
	elseif string.find(ctype, "^application/vnd%.omaloc%-supl%-init") then
		return "ulp.ua"
	end
	return ""
end

-- The q classes of push_lookup(), best first, one after another.
function ksr_route_relay()
	-- the devices are outside the trust domain (RFC 3325 section 7)
	if KSR.push.apply_privacy() == -1 then
		KSR.sl.sl_send_reply(500, "Server Internal Error")
		KSR.x.exit()
	end
	KSR.tm.t_load_contacts()
	KSR.tm.t_next_contacts()
	KSR.tm.t_on_failure("ksr_failure_next_class")
	if KSR.tm.t_relay() < 0 then
		KSR.sl.sl_reply_error()
	end
end

function ksr_failure_next_class()
	if KSR.tm.t_is_canceled() > 0 then
		return 1
	end
	if KSR.tm.t_check_status("6[0-9][0-9]") > 0 then
		-- a device refused the push on behalf of the user: stop there
		return 1
	end
	if KSR.tm.t_next_contacts() > 0 then
		KSR.tm.t_on_failure("ksr_failure_next_class")
		KSR.tm.t_relay()
	end
	return 1
end

-- The final outcome of each routed push (modparam push event_callback).
function ksr_push_delivery(evname)
	KSR.info("push delivery: " .. KSR.pv.get("$ci") .. " " ..
		KSR.pv.get("$tu") .. " " .. KSR.pv.get("$T_reply_code") .. "\n")
	return 1
end
