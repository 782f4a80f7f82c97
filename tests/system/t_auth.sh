# Authenticated devices: the example proxy started WITH_AUTH challenges a
# REGISTER (digest, auth_db against the table subscriber of its database,
# users added with scripts/push-user.sh), refuses a wrong password and
# another user's address of record with 403, and a device that
# authenticated registers and receives pushes; pushes themselves are not
# challenged.
#
# Helpers are prefixed auth_.

AUTH_PT='+g.oma.pusheventapp'
AUTH_MMS=application/vnd.wap.mms-message
AUTH_DOMAIN=push.example.net

# auth_user USER PASSWORD [DOMAIN]: add or update a user in the database of
# the running proxy.
auth_user()
{
	"$ROOT/scripts/push-user.sh" "${KAM_DB_URL:-$KAM_DB}" "$1" \
		"${3:-$AUTH_DOMAIN}" "$2" >>"$T_WORK/push-user.out" 2>&1 ||
		fail "push-user.sh could not set the password of $1"
}

# Start the proxy WITH_AUTH, with the users alice and bob.
auth_setup()
{
	kam_start cfg/push-proxy.cfg -A WITH_AUTH
	auth_user alice alice-secret
	auth_user bob bob-secret
}

# auth_register RUN USER CONTACT AUTH-USER PASSWORD: register CONTACT for
# USER (From and To), answering the challenge with the credentials of
# AUTH-USER; sets FINAL to the final response to the second REGISTER.
auth_register()
{
	FINAL=
	sipp_run "$1" register-auth.xml -key user "$2" -key domain "$AUTH_DOMAIN" -key contact "$3" \
		-key expires 600 -au "$4" -ap "$5" ||
		fail "REGISTER of $2 as $4: not challenged, or no final response (see $1.err)"
	FINAL=$(sed -n 's/.*final=\([0-9]*\).*/\1/p' "$T_WORK/$1.log" 2>/dev/null |
		tail -n 1)
}

# auth_no_binding USER: the proxy has no binding of USER.
auth_no_binding()
{
	kam_rpc push.caps "$1" >"$T_WORK/caps-$1" 2>&1 || true
	assert_grep "$T_WORK/caps-$1" '404 - AOR not found' "bindings of $1 (push.caps)"
}

# The steps, each against the running proxy of auth_setup.

# A REGISTER without credentials gets 401 with a digest challenge for the
# realm, and stores nothing: a push to that user finds no device.
auth_step_challenged()
{
	free_port
	sipp_run reg-none register-401.xml -key user alice -key domain "$AUTH_DOMAIN" \
		-key contact "<sip:alice@127.0.0.1:$FREE_PORT>;$AUTH_PT=\"mms.ua\"" \
		-key expires 600 ||
		fail "REGISTER without credentials was not answered 401"
	assert_grep "$T_WORK/reg-none.msg" \
		"^WWW-Authenticate: Digest realm=\"${1:-$AUTH_DOMAIN}\"" \
		"digest challenge for the realm"
	assert_grep "$T_WORK/reg-none.msg" '^WWW-Authenticate: .*nonce="[^"]+"' \
		"nonce in the challenge"
	assert_grep "$T_WORK/reg-none.msg" '^WWW-Authenticate: .*qop="auth"' \
		"qop in the challenge"
	auth_no_binding alice
	send_push push-none alice "$AUTH_MMS"
	assert_eq "$FINAL" 404 "final response to a push for alice"
}

# A wrong password, and a user the table does not have, get 403 (not
# another challenge); nothing is stored.
auth_step_wrong_password()
{
	local dport contact
	free_port
	dport=$FREE_PORT
	contact="<sip:alice@127.0.0.1:$dport>;$AUTH_PT=\"mms.ua\""
	auth_register reg-wrong alice "$contact" alice not-the-secret
	assert_eq "$FINAL" 403 "final response to a wrong password"
	assert_grep "$T_WORK/reg-wrong.msg" '^Authorization: Digest .*username="alice"' \
		"credentials in the second REGISTER"
	auth_register reg-unknown carol "<sip:carol@127.0.0.1:$dport>" carol carol-secret
	assert_eq "$FINAL" 403 "final response to an unknown user"
	auth_no_binding alice
	auth_no_binding carol
	assert_grep "$KAM_LOG" "REGISTER of sip:alice@$AUTH_DOMAIN from 127\\.0\\.0\\.1: 403, wrong password or unknown user 'alice'" \
		"log line of the refused password"
}

# alice's credentials do not register bob's address of record (To); bob's
# own do.
auth_step_other_aor()
{
	local dport contact
	free_port
	dport=$FREE_PORT
	contact="<sip:bob@127.0.0.1:$dport>;$AUTH_PT=\"mms.ua\""
	auth_register reg-other bob "$contact" alice alice-secret
	assert_eq "$FINAL" 403 "final response to alice registering bob"
	auth_no_binding bob
	assert_grep "$KAM_LOG" "REGISTER of sip:bob@$AUTH_DOMAIN from 127\\.0\\.0\\.1: 403, authenticated as 'alice', another user" \
		"log line of the refused address"
	auth_register reg-bob bob "$contact" bob bob-secret
	assert_eq "$FINAL" 200 "final response to bob registering himself"
	kam_rpc push.caps bob >"$T_WORK/caps-bob"
	assert_grep "$T_WORK/caps-bob" "contact: sip:bob@127\\.0\\.0\\.1:$dport" \
		"bob's binding"
}

# With the right password the binding is stored, with its feature tag, and
# the device receives a push (which is not challenged).
auth_step_registers_and_push()
{
	local dport
	free_port
	dport=$FREE_PORT
	sipp_device dev1 "$dport" -m 1
	auth_register reg-alice alice "<sip:alice@127.0.0.1:$dport>;$AUTH_PT=\"mms.ua\"" \
		alice alice-secret
	assert_eq "$FINAL" 200 "final response to alice's authenticated REGISTER"
	assert_grep "$T_WORK/reg-alice.msg" '^Authorization: Digest .*username="alice"' \
		"credentials in the second REGISTER"
	kam_rpc push.caps alice >"$T_WORK/caps-alice"
	assert_grep "$T_WORK/caps-alice" "contact: sip:alice@127\\.0\\.0\\.1:$dport" \
		"alice's binding"
	assert_grep "$T_WORK/caps-alice" 'tags: ;\+g\.oma\.pusheventapp="mms\.ua"' \
		"alice's feature tag"
	send_push push1 alice "$AUTH_MMS"
	assert_eq "$FINAL" 200 "final response to the push"
	wait_exit "$DEV_PID" 100 || fail "the device did not get the push"
	assert_eq "$(received_count dev1)" 1 "pushes at alice's device"
	assert_no_grep "$T_WORK/dev1.msg" '^(Authorization|WWW-Authenticate):' \
		"credentials in the push"
}

test_auth_register_without_credentials_challenged()
{
	auth_setup
	auth_step_challenged
}

test_auth_wrong_password_refused()
{
	auth_setup
	auth_step_wrong_password
}

test_auth_other_users_aor_refused()
{
	auth_setup
	auth_step_other_aor
}

test_auth_right_password_registers_and_receives_push()
{
	auth_setup
	auth_step_registers_and_push
}

# push-user.sh sets a new password (the old one is refused from then on)
# and refuses a name that is no SIP user part, changing nothing.
test_auth_push_user_updates_and_refuses_unsafe_names()
{
	auth_setup
	local dport contact
	free_port
	dport=$FREE_PORT
	contact="<sip:alice@127.0.0.1:$dport>"
	auth_user alice "new secret: with spaces"
	auth_register reg-old alice "$contact" alice alice-secret
	assert_eq "$FINAL" 403 "final response to the old password"
	auth_register reg-new alice "$contact" alice "new secret: with spaces"
	assert_eq "$FINAL" 200 "final response to the new password"
	# the password from standard input
	printf '%s\n' 'stdin-secret' |
		"$ROOT/scripts/push-user.sh" "$KAM_DB" bob "$AUTH_DOMAIN" >/dev/null
	auth_register reg-bob bob "<sip:bob@127.0.0.1:$dport>" bob stdin-secret
	assert_eq "$FINAL" 200 "final response to the password read from stdin"
	local bad
	for bad in "x'; DROP TABLE subscriber; --" 'a b' 'al"ice' ''; do
		! "$ROOT/scripts/push-user.sh" "$KAM_DB" "$bad" "$AUTH_DOMAIN" pw \
			2>>"$T_WORK/refused" || fail "push-user.sh took the user name '$bad'"
	done
	! "$ROOT/scripts/push-user.sh" "$KAM_DB" carol "x'y" pw 2>>"$T_WORK/refused" ||
		fail "push-user.sh took the domain x'y"
	assert_eq "$(sqlite3 "$KAM_DB" 'SELECT username FROM subscriber ORDER BY username' |
		tr '\n' ' ')" "alice bob " "users in the table"
}

# A database made before the table subscriber existed gets it from
# location-db.sh (which kam_start runs) with its version row, as auth_db
# checks at startup, and keeps its bindings.
test_auth_subscriber_table_added_to_older_database()
{
	KAM_DB="$T_WORK/location.db"
	"$ROOT/scripts/location-db.sh" "$KAM_DB"
	sqlite3 "$KAM_DB" "DROP TABLE subscriber; DELETE FROM version WHERE table_name = 'subscriber'"
	sqlite3 "$KAM_DB" "INSERT INTO push_hold (aor, callid, from_uri, to_uri, headers, held_at, expires) VALUES ('x', 'kept', 'f', 't', '', 0, 0)"
	auth_setup
	assert_eq "$(sqlite3 "$KAM_DB" "SELECT table_version FROM version WHERE table_name = 'subscriber'")" \
		7 "version of the table subscriber"
	assert_eq "$(sqlite3 "$KAM_DB" "SELECT callid FROM push_hold")" kept \
		"the rows the database had"
	auth_step_registers_and_push
}

# AUTH_REALM: the realm of the challenge and of the users' digests.
test_auth_realm_define()
{
	kam_start cfg/push-proxy.cfg -A WITH_AUTH -A 'AUTH_REALM="devices.example.net"'
	auth_user alice alice-secret devices.example.net
	auth_step_challenged devices.example.net
	free_port
	auth_register reg-alice alice "<sip:alice@127.0.0.1:$FREE_PORT>" alice alice-secret
	assert_eq "$FINAL" 200 "final response to alice's REGISTER in the realm"
}

# auth_register_elsewhere RUN USER CONTACT AUTH-USER PASSWORD PORT: as
# auth_register, but the REGISTER with credentials goes to the proxy on
# PORT; sets FINAL.
auth_register_elsewhere()
{
	FINAL=
	sipp_run "$1" register-auth-elsewhere.xml -key user "$2" -key domain "$AUTH_DOMAIN" -key contact "$3" \
		-key expires 600 -au "$4" -ap "$5" -key port2 "$6" ||
		fail "REGISTER of $2 as $4: not challenged, or no final response (see $1.err)"
	FINAL=$(sed -n 's/.*final=\([0-9]*\).*/\1/p' "$T_WORK/$1.log" 2>/dev/null |
		tail -n 1)
}

# Several proxies on one PostgreSQL database (pgc_ helpers of
# t_pgcluster.sh, db_mode 3): location-db.sh creates the table there,
# push-user.sh adds the users once for all of them, and a challenge of one
# proxy is good at another with the same AUTH_SECRET; one with a secret of
# its own challenges again (401, neither 403 nor 500).
test_auth_postgres_proxies_share_users_and_secret()
{
	pgc_db
	pgc_proxy A -A WITH_AUTH -A 'AUTH_SECRET="auth-test-secret"'
	pgc_proxy B -A WITH_AUTH -A 'AUTH_SECRET="auth-test-secret"'
	pgc_proxy C -A WITH_AUTH
	on A auth_user alice alice-secret
	on A auth_user bob bob-secret
	assert_eq "$(pgc_sql "select count(*) from subscriber")" 2 "users in the table"
	on A auth_step_wrong_password
	local dport
	free_port
	dport=$FREE_PORT
	sipp_device dev1 "$dport" -m 1
	on A auth_register_elsewhere reg-ab alice \
		"<sip:alice@127.0.0.1:$dport>;$AUTH_PT=\"mms.ua\"" alice alice-secret \
		"${PGC_PORT[B]}"
	assert_eq "$FINAL" 200 "final response at B to the challenge of A"
	on A send_push push1 alice "$AUTH_MMS"
	assert_eq "$FINAL" 200 "final response of A to the push"
	wait_exit "$DEV_PID" 100 || fail "the device did not get the push"
	on A auth_register_elsewhere reg-ac bob "<sip:bob@127.0.0.1:$dport>" \
		bob bob-secret "${PGC_PORT[C]}"
	assert_eq "$FINAL" 401 "final response at C to the challenge of A"
	assert_eq "$(grep -c '^WWW-Authenticate: Digest' "$T_WORK/reg-ac.msg")" 2 \
		"challenges, A's and C's"
}

# The same proxy with the routing of cfg/push-proxy.lua (KEMI): every step
# against one proxy.
auth_all_steps()
{
	auth_setup
	auth_step_challenged
	auth_step_wrong_password
	auth_step_other_aor
	auth_step_registers_and_push
}

test_auth_lua()
{
	with_lua auth_all_steps
}
