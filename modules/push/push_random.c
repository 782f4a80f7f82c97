/*
 * push module - unguessable random values
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "core/dprint.h"

#include "push_random.h"

/* At most this many bytes are asked for at once: getrandom() returns them
 * whole up to 256 bytes. */
#define RANDOM_MAX 32

int push_random_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char buf[RANDOM_MAX];
	ssize_t got;
	int tries;
	size_t i;

	if(n > RANDOM_MAX)
		return -1;
	for(tries = 0; tries < 3; tries++) {
		got = getrandom(buf, n, 0);
		if(got == (ssize_t)n)
			break;
		if(got >= 0 || errno != EINTR)
			tries = 3;
	}
	if(got != (ssize_t)n) {
		LM_ERR("no random bytes from the kernel: %s\n", strerror(errno));
		return -1;
	}
	for(i = 0; i < n; i++) {
		out[2 * i] = hex[buf[i] >> 4];
		out[2 * i + 1] = hex[buf[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}
