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
	if KSR.dmq ~= nil and KSR.is_method("KDMQ") and ksr_route_dmq() then
		return 1
	end
	if KSR.xhttp ~= nil and (KSR.pv.get("$Rp") == pap_port()
			or KSR.pv.get("$Rp") == prom_port()) then
		-- WITH_PAP, WITH_PROMETHEUS: those ports take HTTP only
		-- (ksr_xhttp_event)
		KSR.sl.sl_send_reply(403, "Forbidden")
		return 1
	end
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
	if not ksr_route_domain() then
		return 1
	end
	if KSR.is_REGISTER() then
		-- devices are outside the trust domain: see route[REGISTRAR]
		if KSR.push.check_framing() < 0 then
			KSR.sl.sl_send_reply(400, KSR.pv.get("$push(reason)"))
			return 1
		end
		if auth_enabled() then
			ksr_route_auth()
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

-- WITH_PAP (xhttp is loaded): the port Push Initiators submit to.
local pap_port_number
function pap_port()
	if pap_port_number == nil then
		pap_port_number = tonumber(KSR.pv.get("$def(PAP_PORT)")) or -1
	end
	return pap_port_number
end

local prom_port_number
function prom_port()
	if prom_port_number == nil then
		prom_port_number = tonumber(KSR.pv.get("$def(PROM_PORT)")) or -1
	end
	return prom_port_number
end

-- A Push Initiator's PAP request (modparam xhttp event_callback):
-- push_pap_request() authenticates it and answers it; a monitoring
-- system's GET /metrics gets the statistics; anything else on HTTP gets
-- 404.
function ksr_xhttp_event(evname)
	if KSR.pv.get("$Rp") == pap_port() and
			string.find(KSR.pv.get("$hu") or "", "^/pap") and
			KSR.push.pap_request() > 0 then
		return 1
	end
	if KSR.pv.get("$Rp") == prom_port() and
			string.find(KSR.pv.get("$hu") or "", "^/metrics") then
		KSR.xhttp_prom.dispatch()
		return 1
	end
	KSR.xhttp.xhttp_reply(404, "Not Found", "", "")
	return 1
end

-- The domains this proxy serves (route[DOMAIN] of cfg/push-proxy.cfg): a
-- push to a tel: URI is one to that number in SIP_DOMAIN, a push for
-- another domain gets 404, a REGISTER for one 403. false when answered.
function ksr_route_domain()
	if KSR.is_MESSAGE() and KSR.pv.get("$rz") == "tel" then
		KSR.pv.sets("$ru", "sip:" .. KSR.pv.get("$rU") .. "@"
			.. KSR.pv.get("$def(SIP_DOMAIN)"):gsub('"', '') .. ";user=phone")
	end
	if KSR.is_REGISTER() and not KSR.is_myself(KSR.pv.get("$tu")) then
		KSR.notice("REGISTER for " .. KSR.pv.get("$tu") .. " from "
			.. KSR.pv.get("$si") .. ": 403, domain not served\n")
		KSR.sl.sl_send_reply(403, "Domain Not Served")
		return false
	end
	if KSR.is_MESSAGE() and not KSR.is_myself_ruri() then
		KSR.notice("push " .. KSR.pv.get("$ci") .. " for " .. KSR.pv.get("$ru")
			.. ": 404, domain not served\n")
		KSR.sl.sl_send_reply(404, "Not Here")
		return false
	end
	return true
end

-- The IPv4 address s as a number, nil if it is none.
local function ipv4_number(s)
	local a, b, c, d = string.match(s, "^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
	if a == nil then
		return nil
	end
	a, b, c, d = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
	if a > 255 or b > 255 or c > 255 or d > 255 then
		return nil
	end
	return ((a * 256 + b) * 256 + c) * 256 + d
end

-- Whether IPv4 address ip is inside net, "a.b.c.d/bits" or one address
-- (anything else, such as an IPv6 network, holds no address).
local function ipv4_in_net(ip, net)
	local base, bits = string.match(net, "^([^/]+)/(%d+)$")
	if base == nil then
		base, bits = net, "32"
	end
	bits = tonumber(bits)
	local x, n = ipv4_number(ip), ipv4_number(base)
	if x == nil or n == nil or bits > 32 then
		return false
	end
	local block = 2 ^ (32 - bits)
	return math.floor(x / block) == math.floor(n / block)
end

-- WITH_DMQ (dmq is loaded): the cluster's messages, on the DMQ port and
-- from DMQ_NET only, as in request_route of cfg/push-proxy.cfg. The
-- settings are the cfg's defines. true when the request was handled.
local dmq_port, dmq_net
function ksr_route_dmq()
	if dmq_port == nil then
		dmq_port = tonumber(KSR.pv.get("$def(DMQ_PORT)")) or -1
		dmq_net = string.gsub(KSR.pv.get("$def(DMQ_NET)") or "", '"', "")
	end
	if KSR.pv.get("$Rp") ~= dmq_port then
		return false
	end
	if not ipv4_in_net(KSR.pv.get("$si"), dmq_net) then
		KSR.sl.sl_send_reply(403, "Forbidden")
		return true
	end
	KSR.dmq.handle_message()
	return true
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

-- WITH_HOLD (a define of cfg/push-proxy.cfg): a push that finds no
-- matching device is held (push_hold()) and answered 202.
local hold_on
function hold_enabled()
	if hold_on == nil then
		hold_on = KSR.pv.get("$def(WITH_HOLD)") ~= nil
	end
	return hold_on
end

-- The value of the cfg's define NAME as a string: without the quotes of
-- a string define, and the value of the define it names when it is set to
-- another define's name (AUTH_REALM is SIP_DOMAIN by default); nil when
-- NAME is not defined.
local function def_value(name)
	local v = KSR.pv.get("$def(" .. name .. ")")
	for _ = 1, 8 do
		if v == nil or not string.find(v, "^[%a_][%w_]*$") then
			break
		end
		local inner = KSR.pv.get("$def(" .. v .. ")")
		if inner == nil then
			break
		end
		v = inner
	end
	if v ~= nil then
		v = string.gsub(v, '^"(.*)"$', "%1")
	end
	return v
end

-- WITH_AUTH (a define of cfg/push-proxy.cfg): REGISTER is authenticated
-- against the subscriber table in the realm AUTH_REALM (an empty realm,
-- which cannot happen with the cfg's defines, fails every REGISTER).
local auth_realm
function auth_enabled()
	if auth_realm == nil then
		if KSR.pv.get("$def(WITH_AUTH)") == nil then
			auth_realm = false
		else
			auth_realm = def_value("AUTH_REALM") or ""
		end
	end
	return auth_realm ~= false
end

-- Digest authentication of a REGISTER: see route[AUTH] of
-- cfg/push-proxy.cfg. 401 challenge without credentials for the realm (or
-- with a nonce it cannot use), 403 for a wrong password, an unknown user or
-- another user's address of record; returns when the device may register.
function ksr_route_auth()
	local rc = KSR.auth_db.auth_check(auth_realm, "subscriber", 1)
	local what = "REGISTER of " .. KSR.pv.get("$tu") .. " from " .. KSR.pv.get("$si")
	if rc == 1 then
		KSR.auth.consume_credentials()
		return
	end
	if rc == -2 or rc == -3 then
		KSR.notice(what .. ": 403, wrong password or unknown user '"
			.. (KSR.pv.get("$au") or "") .. "'\n")
		KSR.sl.sl_send_reply(403, "Forbidden")
	elseif rc == -8 then
		KSR.notice(what .. ": 403, authenticated as '"
			.. (KSR.pv.get("$au") or "") .. "', another user\n")
		KSR.sl.sl_send_reply(403, "Forbidden")
	else
		-- no credentials for the realm, a stale nonce, or credentials that
		-- cannot be checked (a nonce of another secret, ...)
		KSR.auth.auth_challenge(auth_realm, 1)
	end
	KSR.x.exit()
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
	-- one log line per outcome, with its reason
	local what = "push " .. KSR.pv.get("$ci") .. " for " .. KSR.pv.get("$ru")
	if (rc == -1 or rc == -2) and hold_enabled() then
		-- no device matches now: held until one registers (or it expires),
		-- stored as it will reach the device (RFC 3325 section 7)
		if KSR.push.apply_privacy() ~= -1 and KSR.push.hold() == 1 then
			KSR.info(what .. ": held (no device now)\n")
			KSR.sl.sl_send_reply(202, "Accepted")
			KSR.x.exit()
		end
	end
	if rc == 1 then
		KSR.info("push " .. KSR.pv.get("$ci") .. " for " .. KSR.pv.get("$tu")
			.. ": routed to " .. KSR.pv.get("$ru") .. " and "
			.. (KSR.pv.get("$(branch(count))") or 0) .. " more devices\n")
		ksr_route_relay()
	elseif rc == -1 then
		KSR.info(what .. ": 404, no registered device\n")
		KSR.sl.sl_send_reply(404, "Not Found")
	elseif rc == -2 then
		KSR.info(what .. ": 480, no device matches its caller preferences\n")
		KSR.sl.sl_send_reply(480, "Temporarily Unavailable")
	elseif rc == -3 then
		KSR.notice(what .. ": 400, " .. KSR.pv.get("$push(reason)") .. "\n")
		KSR.sl.sl_send_reply(400, KSR.pv.get("$push(reason)"))
	elseif rc == -5 then
		-- matching would cost more than match_budget: try later
		KSR.warn(what .. ": 503, " .. KSR.pv.get("$push(reason)") .. "\n")
		KSR.hdr.append_to_reply("Retry-After: 60\r\n")
		KSR.sl.sl_send_reply(503, KSR.pv.get("$push(reason)"))
	else
		KSR.err(what .. ": 500, lookup failed\n")
		KSR.sl.sl_send_reply(500, "Server Internal Error")
	end
	KSR.x.exit()
end

-- WITH_TLS and TLS_TRUSTED_SENDER (defines of cfg/push-proxy.cfg): the
-- common name or DNS subjectAltName a Push Sender Agent's client
-- certificate must carry, false when there is none.
local tls_sender
function tls_trusted_sender()
	if tls_sender == nil then
		tls_sender = false
		local name = KSR.pv.get("$def(TLS_TRUSTED_SENDER)")
		if KSR.pv.get("$def(WITH_TLS)") ~= nil and name ~= nil then
			tls_sender = (string.gsub(name, '"', ""))
		end
	end
	return tls_sender
end

-- WITH_TLS: a Push Sender Agent that proved who it is on this connection,
-- with a client certificate verified against TLS_CA that names
-- TLS_TRUSTED_SENDER, is inside the trust domain (route[IDENTITY]).
function ksr_route_tls_sender()
	local name = tls_trusted_sender()
	if not name or not KSR.is_TLS() or
			tonumber(KSR.pv.get("$tls_peer_verified")) ~= 1 then
		return
	end
	if KSR.pv.get("$tls_peer_subject_cn") == name or
			KSR.pv.get("$tls_peer_san_hostname") == name then
		KSR.setflag(tonumber(KSR.pv.get("$def(TLS_TRUSTED_FLAG)")))
	end
end

-- RFC 3325 / RFC 5876: see route[IDENTITY] of cfg/push-proxy.cfg.
function ksr_route_identity()
	ksr_route_tls_sender()
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

-- The final outcome of each routed push (modparam push event_callback,
-- event "push:delivery"), and, WITH_HOLD, each held push nobody took in
-- time ("push:expired").
function ksr_push_delivery(evname)
	if evname == "push:expired" then
		KSR.notice("held push expired: " ..
			tostring(KSR.pv.get("$push(held_callid)")) .. " for " ..
			tostring(KSR.pv.get("$push(held_aor)")) .. " (" ..
			(KSR.pv.get("$push(held_app)") or "") .. ") after " ..
			tostring(KSR.pv.get("$push(held_age)")) .. " s\n")
		return 1
	end
	KSR.info("push delivery: " .. KSR.pv.get("$ci") .. " " ..
		KSR.pv.get("$tu") .. " " .. KSR.pv.get("$T_reply_code") .. "\n")
	return 1
end
