/*
 * push module - statistics (group "push")
 */

#ifndef PUSH_STATS_H
#define PUSH_STATS_H

#include "core/counters.h"

extern stat_export_t push_stats[];

extern stat_var *push_st_registrations_tagged;
extern stat_var *push_st_routed;
extern stat_var *push_st_no_contacts;
extern stat_var *push_st_no_match;
extern stat_var *push_st_malformed;
extern stat_var *push_st_branches;
extern stat_var *push_st_delivered;
extern stat_var *push_st_failed;
extern stat_var *push_st_timeout;
extern stat_var *push_st_pai_inserted;
extern stat_var *push_st_pai_kept;
extern stat_var *push_st_pai_removed_untrusted;
extern stat_var *push_st_ppi_removed;
extern stat_var *push_st_pai_removed_privacy;
extern stat_var *push_st_verify_failed;
extern stat_var *push_st_framing_refused;
extern stat_var *push_st_budget_exceeded;
extern stat_var *push_st_branches_dropped;
extern stat_var *push_st_tags_unknown;
extern stat_var *push_st_attrs_swept;
extern stat_var *push_st_pap_accepted;
extern stat_var *push_st_pap_rejected;
extern stat_var *push_st_pap_delivered;
extern stat_var *push_st_pap_undeliverable;
extern stat_var *push_st_pap_notifications_failed;
extern stat_var *push_st_held;
extern stat_var *push_st_held_delivered;
extern stat_var *push_st_held_expired;
extern stat_var *push_st_held_dropped;

#endif /* PUSH_STATS_H */
