# Caller preferences in headers another module adds before push_lookup()
# (tests/system/cfg/added-headers.cfg appends the X-Add header values as the
# lines of one header text): push_lookup() reads them whatever their place
# in the text, its length or its number of lines, push after push.

# Two devices of alice: one for mms.ua, one for sms.ua.
added_setup()
{
	kam_start tests/system/cfg/added-headers.cfg
	device mms alice ';+g.oma.pusheventapp="mms.ua"'
	device sms alice ';+g.oma.pusheventapp="sms.ua"'
}

# added_push NAME LINE...: a push whose X-Add headers are the LINEs; the
# devices that got it, by name.
added_push()
{
	local name=$1 hdrs="X-Test: $1" line before
	shift
	for line in "$@"; do
		hdrs=$(printf '%s\r\nX-Add: %s' "$hdrs" "$line")
	done
	before="$(received_count mms) $(received_count sms)"
	send_push "$name" alice text/plain "$hdrs"
	assert_eq "$FINAL" 200 "final response to $name"
	sleep 0.5
	set -- $before
	ADDED_TO=$( { [ "$(received_count mms)" -gt "$1" ] && echo mms
		[ "$(received_count sms)" -gt "$2" ] && echo sms; } | xargs)
}

REJECT_SMS='Reject-Contact: *;+g.oma.pusheventapp="sms.ua"'
ACCEPT_SMS='Accept-Contact: *;+g.oma.pusheventapp="sms.ua";require;explicit'

test_added_header_lines_read_push_after_push()
{
	added_setup
	added_push p1
	assert_eq "$ADDED_TO" "mms sms" "devices without added preferences"
	# the same text twice: the second push reads it as the first did
	added_push p2 'X-Filler: one' "$REJECT_SMS"
	assert_eq "$ADDED_TO" "mms" "devices with an added Reject-Contact"
	added_push p3 'X-Filler: one' "$REJECT_SMS"
	assert_eq "$ADDED_TO" "mms" "devices with the same text again"
	added_push p4 "$ACCEPT_SMS" 'X-Filler: two'
	assert_eq "$ADDED_TO" "sms" "devices with an added Accept-Contact"
}

test_added_header_many_lines_and_long_text()
{
	added_setup
	# more lines than a text is remembered with
	added_push p1 'X-A: 1' 'X-B: 2' 'X-C: 3' 'X-D: 4' 'X-E: 5' "$REJECT_SMS"
	assert_eq "$ADDED_TO" "mms" "devices, sixth line a Reject-Contact"
	added_push p2 'X-A: 1' 'X-B: 2' 'X-C: 3' 'X-D: 4' 'X-E: 5' "$REJECT_SMS"
	assert_eq "$ADDED_TO" "mms" "devices, the same six lines again"
	# a text longer than one that is remembered
	long=$(printf 'X-Long: %0300d' 0)
	added_push p3 "$long" "$ACCEPT_SMS"
	assert_eq "$ADDED_TO" "sms" "devices, Accept-Contact after a long line"
	added_push p4 "$long" "$ACCEPT_SMS"
	assert_eq "$ADDED_TO" "sms" "devices, the same long text again"
}

# A script that reads no header before push_lookup(): the module parses the
# caller preferences itself, so the push for mms.ua reaches the mms.ua
# device only, not every device of the user.
test_added_unparsed_request_prefs_read()
{
	kam_start tests/system/cfg/bare-lookup.cfg
	device mms alice ';+g.oma.pusheventapp="mms.ua"'
	device sms alice ';+g.oma.pusheventapp="sms.ua"'
	send_push p1 alice text/plain \
		'Accept-Contact: *;+g.oma.pusheventapp="mms.ua";require;explicit'
	assert_eq "$FINAL" 200 "final response to the push"
	wait_deliveries 1 mms sms
	assert_eq "$(received_count mms)" 1 "pushes at the mms.ua device"
	assert_eq "$(received_count sms)" 0 "pushes at the sms.ua device"
}
