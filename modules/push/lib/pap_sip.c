/*
 * OMA Push Access Protocol: the outcome of a push delivered as a SIP
 * MESSAGE (RFC 3428), from its final response.
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#include "pap.h"

int pap_outcome_of_sip(int sip_code, enum pap_state *state)
{
	if(sip_code >= 200 && sip_code < 300) {
		*state = PAP_STATE_DELIVERED;
		return PAP_OK;
	}
	switch(sip_code) {
		case 404:
		case 410:
		case 480:
		case 604:
			/* no registration, or no device of the application */
			*state = PAP_STATE_UNDELIVERABLE;
			return PAP_ADDRESS_NOT_FOUND;
		case 403:
		case 603:
			*state = PAP_STATE_ABORTED;
			return PAP_DEVICE_ABORTED;
		case 408:
			*state = PAP_STATE_TIMEOUT;
			return PAP_SERVICE_FAILURE;
		case 415:
		case 488:
			*state = PAP_STATE_UNDELIVERABLE;
			return PAP_TRANSFORMATION_FAILURE;
		case 503:
			*state = PAP_STATE_UNDELIVERABLE;
			return PAP_SERVICE_UNAVAILABLE;
		default:
			*state = PAP_STATE_UNDELIVERABLE;
			return PAP_SERVICE_FAILURE;
	}
}
