/*
 * push module - the text of a held push, as kept in the hold table
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#include <strings.h>

#include "heldrow.h"

int held_headers_ok(const char *h, size_t len, size_t max)
{
	size_t i;
	int line_start = 1;

	if(len > max)
		return 0;
	for(i = 0; i < len; i++) {
		char c = h[i];
		if(c == '\0' || c == '\n')
			return 0;
		if(c == '\r') {
			if(line_start || i + 1 >= len || h[i + 1] != '\n')
				return 0;
			i++;
			line_start = 1;
			continue;
		}
		line_start = 0;
	}
	return line_start;
}

int held_tag_value(const char *h, size_t len, const char *tag, size_t tag_len,
		size_t max, size_t *off, size_t *vlen)
{
	size_t p, v, start;

	if(tag_len == 0)
		return -1;
	for(p = 0; p + tag_len < len; p++) {
		if(strncasecmp(h + p, tag, tag_len) != 0 || h[p + tag_len] != '=')
			continue;
		v = p + tag_len + 1;
		if(v < len && h[v] == '"')
			v++;
		start = v;
		while(v < len && v - start < max && h[v] != '"' && h[v] != ';'
				&& h[v] != ',' && h[v] != '\r' && h[v] != '\n')
			v++;
		*off = start;
		*vlen = v - start;
		return 0;
	}
	return -1;
}
