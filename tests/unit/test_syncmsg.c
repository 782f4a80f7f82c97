/*
 * The cluster's feature-set messages (syncmsg.h): what one node writes the
 * others read back field for field, and what is malformed or over a limit
 * is refused without reading past the body. Bodies are copied to
 * exact-length heap buffers so ASan flags any read past the end.
 */

#include <stdlib.h>
#include <string.h>

#include "syncmsg.h"
#include "util.h"

static syncmsg_rec_t rec(const char *ruid, const char *aor, const char *fset)
{
	syncmsg_rec_t r = {1764806400LL, 7, 1764810000LL, ruid, strlen(ruid), aor,
			strlen(aor), "location", 8, "c1@host", 7, fset, strlen(fset)};
	return r;
}

/* syncmsg_next() over an exact-length copy of body: the records read,
 * or -1 - (records before the malformed one). */
static int read_all(const char *body, size_t len, syncmsg_rec_t *out, int max)
{
	char *c = malloc(len ? len : 1);
	size_t off = 0;
	int kind, rc, n = 0;
	syncmsg_rec_t r;

	assert_non_null(c);
	memcpy(c, body, len);
	kind = syncmsg_kind(c, len, &off);
	assert_int_equal(kind, SYNCMSG_SETS);
	while((rc = syncmsg_next(c, len, &off, &r)) > 0) {
		if(n < max)
			out[n] = r;
		n++;
	}
	free(c);
	return rc < 0 ? -1 - n : n;
}

static void test_round_trip(void **state)
{
	char buf[4096];
	size_t len;
	syncmsg_rec_t in[2], out[2];
	char aor[] = "bob with space\n and newline@example.net";

	(void)state;
	in[0] = rec("uloc-1", "alice@push.example.net", "1pusheventapp\"mms.ua\"");
	in[1] = rec("uloc-2", aor, "2");
	in[1].expires = 0;
	len = (size_t)syncmsg_begin(buf, sizeof(buf), SYNCMSG_SETS);
	assert_int_equal(syncmsg_put(buf, sizeof(buf), &len, &in[0]), 0);
	assert_int_equal(syncmsg_put(buf, sizeof(buf), &len, &in[1]), 0);
	assert_int_equal(read_all(buf, len, out, 2), 2);
	for(int i = 0; i < 2; i++) {
		assert_true(out[i].last_modified == in[i].last_modified);
		assert_int_equal(out[i].cseq, in[i].cseq);
		assert_true(out[i].expires == in[i].expires);
		assert_int_equal(out[i].ruid_len, in[i].ruid_len);
		assert_memory_equal(out[i].ruid, in[i].ruid, in[i].ruid_len);
		assert_int_equal(out[i].aor_len, in[i].aor_len);
		assert_memory_equal(out[i].aor, in[i].aor, in[i].aor_len);
		assert_int_equal(out[i].table_len, 8);
		assert_int_equal(out[i].callid_len, 7);
		assert_int_equal(out[i].fset_len, in[i].fset_len);
		assert_memory_equal(out[i].fset, in[i].fset, in[i].fset_len);
	}
}

static void test_sync_request(void **state)
{
	char buf[64];
	size_t off = 0;
	int n = syncmsg_begin(buf, sizeof(buf), SYNCMSG_SYNC);

	(void)state;
	assert_true(n > 0);
	assert_int_equal(syncmsg_kind(buf, (size_t)n, &off), SYNCMSG_SYNC);
	assert_int_equal(off, (size_t)n);
	assert_int_equal(syncmsg_begin(buf, 4, SYNCMSG_SYNC), -1);
	assert_int_equal(syncmsg_kind("push-fsets/2 sets\n", 18, &off), -1);
	assert_int_equal(syncmsg_kind("push-fsets/1 set", 16, &off), -1);
}

/* A record that breaks a limit is not written; one that does not fit
 * leaves the message as it was. */
static void test_put_limits(void **state)
{
	char buf[256], big[SYNCMSG_AOR_MAX + 2];
	size_t len = 0, before;
	syncmsg_rec_t r = rec("uloc-1", "a@b", "2");

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	r.aor = big;
	r.aor_len = SYNCMSG_AOR_MAX + 1;
	assert_int_equal(syncmsg_put(buf, sizeof(buf), &len, &r), -1);
	r = rec("", "a@b", "2");
	assert_int_equal(syncmsg_put(buf, sizeof(buf), &len, &r), -1);
	r = rec("uloc-1", "a@b", "2");
	r.last_modified = -1;
	assert_int_equal(syncmsg_put(buf, sizeof(buf), &len, &r), -1);
	r = rec("uloc-1", "a@b", "2");
	r.callid_len = 0;
	assert_int_equal(syncmsg_put(buf, sizeof(buf), &len, &r), -1);
	assert_int_equal(len, 0);
	r = rec("uloc-1", "a@b", "2");
	before = len = 250;
	assert_int_equal(syncmsg_put(buf, sizeof(buf), &len, &r), -1);
	assert_int_equal(len, before);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		/* length beyond the body */
		"push-fsets/1 sets\n1 2 3 6:uloc-1 3:a@b 8:location 2:c1 9:2\n",
		/* a field one byte shorter than announced */
		"push-fsets/1 sets\n1 2 3 6:uloc-1 4:a@b 8:location 2:c1 1:2\n",
		/* no newline after the last field */
		"push-fsets/1 sets\n1 2 3 6:uloc-1 3:a@b 8:location 2:c1 1:2",
		/* a number too long, or signed, or missing */
		"push-fsets/1 sets\n1234567890123 2 3 6:uloc-1 3:a@b 8:location 2:c1 "
		"1:2\n",
		"push-fsets/1 sets\n-1 2 3 6:uloc-1 3:a@b 8:location 2:c1 1:2\n",
		"push-fsets/1 sets\n1 2 6:uloc-1 3:a@b 8:location 2:c1 1:2\n",
		/* CSeq over 32 bits */
		"push-fsets/1 sets\n1 4294967296 3 6:uloc-1 3:a@b 8:location 2:c1 "
		"1:2\n",
		/* empty field, and a field over its limit */
		"push-fsets/1 sets\n1 2 3 0: 3:a@b 8:location 2:c1 1:2\n",
		"push-fsets/1 sets\n1 2 3 6:uloc-1 3:a@b 8:location 2:c1 513:2\n",
		/* a length of five digits */
		"push-fsets/1 sets\n1 2 3 00006:uloc-1 3:a@b 8:location 2:c1 1:2\n",
	};
	syncmsg_rec_t out[1];
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(read_all(bad[i], strlen(bad[i]), out, 1), -1);
	/* a good record before a bad one is read */
	assert_int_equal(
			read_all("push-fsets/1 sets\n1 2 3 6:uloc-1 3:a@b 8:location 2:c1 "
					 "1:2\nxyz\n",
					strlen("push-fsets/1 sets\n1 2 3 6:uloc-1 3:a@b 8:location "
						   "2:c1 1:2\nxyz\n"),
					out, 1),
			-2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_sync_request),
		cmocka_unit_test(test_put_limits),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests_name("syncmsg", tests, NULL, NULL);
}
