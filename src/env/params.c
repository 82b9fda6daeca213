/*
 * params.c - reset parameters: parsing and validation (see env.h).
 *
 * Design: the reference validates seed (int >= 0) and episode_id (<= 255 chars)
 * and passes other keys to the environment, silently dropping those it does not
 * take. We do the same, and validate our own keys (family, task_id, difficulty,
 * tasks, max_attempts, reward_mode) with errors that name the key, so a typo in a
 * value is never silently replaced by a default.
 */
#include "env/env.h"

#include <stdio.h>
#include <string.h>

static int want_str(const rg_json *v, const char *key, size_t max, char *dst, size_t cap,
		    rg_err *err)
{
	if (!rg_json_is_str(v))
		return rg_err_set(err, RG_EINVAL, key, "string_type", "expected a string, got %s",
				  rg_json_type_name(v));
	size_t n = rg_json_str_len(v);
	if (n == 0 || n > max || n >= cap)
		return rg_err_set(err, RG_EINVAL, key, "string_too_long",
				  "expected 1..%zu characters, got %zu", max, n);
	memcpy(dst, rg_json_str_val(v), n + 1);
	return RG_OK;
}

int rg_reset_params_parse(const rg_json *data, rg_reset_params *p, rg_err *err)
{
	memset(p, 0, sizeof *p);
	p->difficulty = -1;
	if (!data || rg_json_is_null(data))
		return RG_OK;
	if (!rg_json_is_obj(data))
		return rg_err_set(err, RG_EINVAL, "body", "model_attributes_type",
				  "expected an object of reset parameters, got %s",
				  rg_json_type_name(data));
	const rg_json *v;
	if ((v = rg_json_get(data, "seed")) && !rg_json_is_null(v)) {
		if (!rg_json_is_int(v))
			return rg_err_set(err, RG_EINVAL, "seed", "int_type",
					  "expected an integer >= 0, got %s", rg_json_type_name(v));
		if (rg_json_int_val(v) < 0)
			return rg_err_set(err, RG_EINVAL, "seed", "greater_than_equal",
					  "expected an integer >= 0, got %lld", rg_json_int_val(v));
		p->has_seed = true;
		p->seed = (uint64_t)rg_json_int_val(v);
	}
	if ((v = rg_json_get(data, "episode_id")) && !rg_json_is_null(v)) {
		int rc = want_str(v, "episode_id", RG_MAX_EPISODE_ID_LEN, p->episode_id,
				  sizeof p->episode_id, err);
		if (rc)
			return rc;
	}
	if ((v = rg_json_get(data, "family")) && !rg_json_is_null(v)) {
		int rc = want_str(v, "family", sizeof p->family - 1, p->family, sizeof p->family, err);
		if (rc)
			return rc;
		if (!rg_env_family(p->family)) {
			char names[128] = "";
			for (size_t i = 0; i < rg_env_family_count(); i++) {
				size_t l = strlen(names);
				snprintf(names + l, sizeof names - l, "%s%s", i ? ", " : "",
					 rg_env_family_at(i)->family);
			}
			return rg_err_set(err, RG_EINVAL, "family", "enum",
					  "unknown family \"%.40s\"; available: %s", p->family, names);
		}
	}
	if ((v = rg_json_get(data, "task_id")) && !rg_json_is_null(v)) {
		int rc = want_str(v, "task_id", RG_MAX_ID_LEN, p->task_id, sizeof p->task_id, err);
		if (rc)
			return rc;
	}
	if ((v = rg_json_get(data, "difficulty")) && !rg_json_is_null(v)) {
		p->difficulty = rg_json_is_str(v) ? rg_difficulty_parse(rg_json_str_val(v)) : -1;
		if (p->difficulty < 0)
			return rg_err_set(err, RG_EINVAL, "difficulty", "enum",
					  "expected one of easy, medium, hard");
	}
	if ((v = rg_json_get(data, "tasks")) && !rg_json_is_null(v)) {
		if (!rg_json_is_arr(v) || rg_json_size(v) == 0 ||
		    rg_json_size(v) > RG_MAX_EPISODE_TASKS)
			return rg_err_set(err, RG_EINVAL, "tasks", "list_type",
					  "expected a list of 1..%d task ids", RG_MAX_EPISODE_TASKS);
		for (size_t i = 0; i < rg_json_size(v); i++) {
			char key[32];
			snprintf(key, sizeof key, "tasks[%zu]", i);
			int rc = want_str(rg_json_at(v, i), key, RG_MAX_ID_LEN, p->tasks[i],
					  sizeof p->tasks[i], err);
			if (rc)
				return rc;
		}
		p->n_tasks = rg_json_size(v);
		if (p->task_id[0])
			return rg_err_set(err, RG_EINVAL, "tasks", "value_error",
					  "give either task_id or tasks, not both");
	}
	if ((p->task_id[0] || p->n_tasks) && p->difficulty >= 0)
		return rg_err_set(err, RG_EINVAL, "difficulty", "value_error",
				  "give either difficulty or task_id/tasks, not both");
	if ((v = rg_json_get(data, "max_attempts")) && !rg_json_is_null(v)) {
		const char *kind = !rg_json_is_int(v)		? "int_type"
				   : rg_json_int_val(v) < 1	? "greater_than_equal"
				   : rg_json_int_val(v) > RG_MAX_ATTEMPTS_CEILING ? "less_than_equal"
								  : NULL;
		if (kind)
			return rg_err_set(err, RG_EINVAL, "max_attempts", kind,
					  "expected an integer in 1..%d", RG_MAX_ATTEMPTS_CEILING);
		p->max_attempts = (int)rg_json_int_val(v);
	}
	if ((v = rg_json_get(data, "reward_mode")) && !rg_json_is_null(v)) {
		const char *m = rg_json_is_str(v) ? rg_json_str_val(v) : "";
		if (strcmp(m, "score") && strcmp(m, "delta"))
			return rg_err_set(err, RG_EINVAL, "reward_mode", "enum",
					  "expected \"score\" or \"delta\"");
		p->reward_delta = !strcmp(m, "delta");
	}
	return RG_OK;
}
