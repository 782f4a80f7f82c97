/*
 * push module - lexical classes of RFC 3261 / RFC 3840 (no Kamailio headers)
 */

#include "cpref.h"
#include <string.h>

#include "cp_lex.h"

/* RFC 3261 25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" /
 * "+" / "`" / "'" / "~") */
const unsigned char cp_token_char[256] = {
		['-'] = 1, ['.'] = 1, ['!'] = 1, ['%'] = 1, ['*'] = 1, ['_'] = 1,
		['+'] = 1, ['`'] = 1, ['\''] = 1, ['~'] = 1,
		['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
		['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
		['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
		['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
		['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
		['Y'] = 1, ['Z'] = 1,
		['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
		['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
		['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
		['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
		['y'] = 1, ['z'] = 1,
};

int cp_is_token_list(const char *s, size_t len)
{
	size_t i, item = 0;

	for(i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if(c == ',') {
			if(item == 0)
				return 0;
			item = 0;
		} else if(cp_token_char[c] && c != '!') {
			item++;
		} else {
			return 0;
		}
	}
	return item > 0;
}

const struct cp_base_tag cp_base_tags[CP_NBASE_TAGS] = {
		{"audio", "sip.audio"}, {"automata", "sip.automata"},
		{"class", "sip.class"}, {"duplex", "sip.duplex"},
		{"data", "sip.data"}, {"control", "sip.control"},
		{"mobility", "sip.mobility"}, {"description", "sip.description"},
		{"events", "sip.events"}, {"priority", "sip.priority"},
		{"methods", "sip.methods"}, {"schemes", "sip.schemes"},
		{"application", "sip.application"}, {"video", "sip.video"},
		{"language", "language"}, {"type", "type"},
		{"isfocus", "sip.isfocus"}, {"actor", "sip.actor"},
		{"text", "sip.text"}, {"extensions", "sip.extensions"},
};

int cp_base_by_param(const char *s, size_t len)
{
	int b;
	size_t i;

	for(b = 0; b < CP_NBASE_TAGS; b++) {
		const char *n = cp_base_tags[b].param;
		for(i = 0; i < len && n[i] != '\0'; i++) {
			unsigned char c = (unsigned char)s[i];
			if(c >= 'A' && c <= 'Z')
				c += 32;
			if(c != (unsigned char)n[i])
				break;
		}
		if(i == len && n[i] == '\0')
			return b;
	}
	return -1;
}

int cp_base_by_tag(const char *s, size_t len)
{
	int b;

	for(b = 0; b < CP_NBASE_TAGS; b++) {
		if(strlen(cp_base_tags[b].tag) == len
				&& memcmp(cp_base_tags[b].tag, s, len) == 0)
			return b;
	}
	return -1;
}
