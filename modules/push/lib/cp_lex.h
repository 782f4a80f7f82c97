/*
 * push module - lexical classes shared by the engine's parsers
 */

#ifndef PUSH_CP_LEX_H
#define PUSH_CP_LEX_H

#include <stddef.h>

/* Non-zero for the characters of an RFC 3261 token. */
extern const unsigned char cp_token_char[256];

/* An RFC 3840 section 9 base tag: its Contact parameter name and the
 * RFC 2533 tag it stands for (RFC 3840 section 10). */
struct cp_base_tag
{
	const char *param;
	const char *tag;
};

#define CP_NBASE_TAGS 20
extern const struct cp_base_tag cp_base_tags[CP_NBASE_TAGS];

/* Index of the base tag whose parameter name is s[0..len) in any letter
 * case, -1 if none. */
int cp_base_by_param(const char *s, size_t len);

/* Index of the base tag whose RFC 2533 name is exactly s[0..len), -1 if
 * none. */
int cp_base_by_tag(const char *s, size_t len);

#endif /* PUSH_CP_LEX_H */
