/*
 * push module - unguessable random values
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#ifndef PUSH_RANDOM_H
#define PUSH_RANDOM_H

#include <stddef.h>

/*
 * n random bytes from the kernel, as 2n lowercase hex digits and a NUL
 * into out (room for 2n + 1). Each process draws its own: Kamailio's
 * cryptorand() is seeded before the workers fork and gives each the same
 * sequence, which would make the one-shot Call-IDs of the PAP front end
 * and the claims of held pushes repeat across processes. 0, or -1 when the
 * kernel gives none (logged): the caller must not fall back to anything
 * weaker.
 */
int push_random_hex(char *out, size_t n);

#endif /* PUSH_RANDOM_H */
