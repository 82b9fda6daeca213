/*
 * api_truth.h - the ground truth of an episode's tasks, for the dashboard's replay.
 */
#ifndef RG_SERVER_API_TRUTH_H
#define RG_SERVER_API_TRUTH_H

#include "bank/bank.h"
#include "core/json.h"

/* {task_id: {family, title, difficulty, code, issues:[{line, end_line, type,
 * severity, description, fix}], versions?:[{id, verdict, code, issues}]}} for the
 * bank tasks among task_ids (a JSON array); custom tasks are left out (they live
 * in the server's custom store, which only the loop may read). Reads only the
 * immutable bank, so any thread may call it. NULL on ENOMEM. */
rg_json *rg__api_truth(const rg_bank *bank, const rg_json *task_ids);

#endif
