/*
 * push module - statistics (group "push")
 */

#include "push_stats.h"

stat_var *push_st_registrations_tagged;
stat_var *push_st_routed;
stat_var *push_st_no_contacts;
stat_var *push_st_no_match;
stat_var *push_st_malformed;
stat_var *push_st_branches;

/* clang-format off */
stat_export_t push_stats[] = {
	{"registrations_tagged", 0, &push_st_registrations_tagged},
	{"routed", 0, &push_st_routed},
	{"no_contacts", 0, &push_st_no_contacts},
	{"no_match", 0, &push_st_no_match},
	{"malformed", 0, &push_st_malformed},
	{"branches", 0, &push_st_branches},
	{0, 0, 0}
};
/* clang-format on */
