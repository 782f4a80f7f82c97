/*
 * push module - limits of the caller-preference engine (cpref.h): the
 * defaults and their check. A file of their own because the parser
 * (cp_fset_encode()) uses them too, and it lies below the preference
 * headers (the layers are listed in cp_internal.h).
 */

#include "cpref.h"

const cp_limits_t cp_limits_default = {
		.values_per_header = 16,
		.params_per_value = 32,
		.tokens_per_list = 64,
		.value_len = 256,
		.predicates = 32,
		.work = CP_WORK_DEFAULT,
};

static int in_range(unsigned int v, unsigned int ceiling)
{
	return v >= 1 && v <= ceiling;
}

int cp_limits_check(const cp_limits_t *lim)
{
	if(!lim || !in_range(lim->values_per_header, CP_MAX_PREDICATES)
			|| !in_range(lim->params_per_value, CP_MAX_PARAMS)
			|| !in_range(lim->tokens_per_list, CP_MAX_TOKENS)
			|| !in_range(lim->value_len, CP_MAX_VALUE_LEN)
			|| !in_range(lim->predicates, CP_MAX_PREDICATES)
			|| lim->work < 1 || lim->work > CP_MAX_WORK)
		return -1;
	return 0;
}
