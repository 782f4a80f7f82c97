/*
 * push module - its version: the one string the module reports (startup
 * log, RPC push.version) and its package carries (make deb reads it here)
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#ifndef PUSH_VERSION_H
#define PUSH_VERSION_H

#define PUSH_MODULE_VERSION "1.0.0"

#endif /* PUSH_VERSION_H */
