#!/bin/bash
# Store and forward (push_hold()): a push that finds no matching device is
# held in the database, answered 202, and sent to the first device that
# registers with a matching feature tag; it expires on time.

HOLD_PT='+g.oma.pusheventapp'

# hold_start [kamailio args]: the example proxy with WITH_HOLD, its expiry
# timer every second.
hold_start()
{
	kam_start cfg/push-proxy.cfg -A WITH_HOLD -A HOLD_INTERVAL=1 "$@"
}

hold_stat()
{
	kam_rpc stats.get_statistics push: | sed -n "s/^push:$1 = \([0-9]*\)\$/\1/p"
}

# held_rows: the number of rows of the hold table.
held_rows()
{
	sqlite3 "$KAM_DB" "SELECT COUNT(*) FROM push_hold"
}

hold_mms()
{
	send_push "$1" "$2" application/vnd.wap.mms-message \
		"Accept-Contact: *;$HOLD_PT=\"mms.ua\";require;explicit"
}

# A push for a user without binding is held (202); the device that
# registers later with the matching tag gets it, the one with another tag
# does not.
test_hold_delivered_at_matching_registration()
{
	hold_start
	hold_mms p1 alice
	assert_eq "$FINAL" 202 "final response to the push held"
	assert_eq "$(held_rows)" 1 "rows held"
	free_port
	DEV_SCENARIO=device.xml sipp_device ulp "$FREE_PORT"
	register alice "<sip:alice@127.0.0.1:$FREE_PORT>;$HOLD_PT=\"ulp.ua\""
	free_port
	DEV_SCENARIO=device.xml sipp_device mms "$FREE_PORT"
	register alice "<sip:alice@127.0.0.1:$FREE_PORT>;$HOLD_PT=\"mms.ua\""
	wait_deliveries 1 mms ulp
	assert_eq "$(received_count mms)" 1 "held push at the mms.ua device"
	assert_eq "$(received_count ulp)" 0 "held push at the ulp.ua device"
	wait_for 50 test "$(held_rows)" = 0 || fail "the delivered push is still held"
	assert_eq "$(hold_stat held_delivered)" 1 "push:held_delivered"
}
