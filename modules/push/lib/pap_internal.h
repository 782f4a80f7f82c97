/*
 * push module - what the PAP files (pap_*.c) share; not part of pap.h
 */

#ifndef PUSH_PAP_INTERNAL_H
#define PUSH_PAP_INTERNAL_H

#include <stddef.h>

#include <libxml/tree.h>

#include "pap.h"

/* The longest bad-message-fragment, in bytes of the caller's buffer. */
#define PAP_FRAGMENT_MAX 128

/*
 * Fill *err with code, a desc made from fmt (printable ASCII only: it
 * goes to logs and answers), and a fragment of buf[0..len) around off.
 * Returns code.
 */
int pap_fail(pap_error_t *err, int code, const char *buf, size_t len,
		size_t off, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The length (1 to 4) of the well-formed UTF-8 sequence at s[0..n)
 * (RFC 3629: no overlong form, no surrogate, at most U+10FFFF) and its
 * code point in *cp; 0 when there is none. */
size_t pap_utf8_char(const char *s, size_t n, unsigned int *cp);

/* 1 when s[0..n) is lit in any ASCII letter case. */
int pap_ieq(const char *s, size_t n, const char *lit);

/* 1 when s[0..n) starts with lit in any ASCII letter case. */
int pap_iprefix(const char *s, size_t n, const char *lit);

/* The first lit[0..litlen) in s[0..n) (litlen > 0), NULL when none. */
const char *pap_find(const char *s, size_t n, const char *lit, size_t litlen);

/* Drop SP, HTAB, CR and LF from both ends of *s[0..*n). */
void pap_trim(const char **s, size_t *n);

/* Where the start tag of an element parsed by pap_parse_control() begins
 * in the caller's buffer. */
size_t pap_node_offset(const xmlNode *node);

/* Read a parsed control entity (pap_control.c): its version, its root and
 * the operation, into *ctl. 0 or the PAP code, with *err filled. */
int pap_read_tree(xmlDocPtr doc, const char *xml, size_t len,
		pap_control_t *ctl, pap_error_t *err);

#endif /* PUSH_PAP_INTERNAL_H */
