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
stat_var *push_st_delivered;
stat_var *push_st_failed;
stat_var *push_st_timeout;
stat_var *push_st_pai_inserted;
stat_var *push_st_pai_kept;
stat_var *push_st_pai_removed_untrusted;
stat_var *push_st_ppi_removed;
stat_var *push_st_pai_removed_privacy;
stat_var *push_st_verify_failed;
stat_var *push_st_framing_refused;
stat_var *push_st_budget_exceeded;
stat_var *push_st_branches_dropped;
stat_var *push_st_tags_unknown;
stat_var *push_st_attrs_swept;
stat_var *push_st_pap_accepted;
stat_var *push_st_pap_rejected;
stat_var *push_st_pap_delivered;
stat_var *push_st_pap_undeliverable;
stat_var *push_st_pap_notifications_failed;
stat_var *push_st_held;
stat_var *push_st_held_delivered;
stat_var *push_st_held_expired;
stat_var *push_st_held_dropped;

/* clang-format off */
stat_export_t push_stats[] = {
	{"registrations_tagged", 0, &push_st_registrations_tagged},
	{"routed", 0, &push_st_routed},
	{"no_contacts", 0, &push_st_no_contacts},
	{"no_match", 0, &push_st_no_match},
	{"malformed", 0, &push_st_malformed},
	{"branches", 0, &push_st_branches},
	{"delivered", 0, &push_st_delivered},
	{"failed", 0, &push_st_failed},
	{"timeout", 0, &push_st_timeout},
	{"pai_inserted", 0, &push_st_pai_inserted},
	{"pai_kept", 0, &push_st_pai_kept},
	{"pai_removed_untrusted", 0, &push_st_pai_removed_untrusted},
	{"ppi_removed", 0, &push_st_ppi_removed},
	{"pai_removed_privacy", 0, &push_st_pai_removed_privacy},
	{"verify_failed", 0, &push_st_verify_failed},
	{"framing_refused", 0, &push_st_framing_refused},
	{"budget_exceeded", 0, &push_st_budget_exceeded},
	{"branches_dropped", 0, &push_st_branches_dropped},
	{"tags_unknown", 0, &push_st_tags_unknown},
	{"attrs_swept", 0, &push_st_attrs_swept},
	{"pap_accepted", 0, &push_st_pap_accepted},
	{"pap_rejected", 0, &push_st_pap_rejected},
	{"pap_delivered", 0, &push_st_pap_delivered},
	{"pap_undeliverable", 0, &push_st_pap_undeliverable},
	{"pap_notifications_failed", 0, &push_st_pap_notifications_failed},
	{"held", 0, &push_st_held},
	{"held_delivered", 0, &push_st_held_delivered},
	{"held_expired", 0, &push_st_held_expired},
	{"held_dropped", 0, &push_st_held_dropped},
	{0, 0, 0}
};
/* clang-format on */
