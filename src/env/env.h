/*
 * env.h - the one interface every environment family implements.
 *
 * Design (after curl's Curl_cftype and OpenEnv's factory model): a family is a
 * const table of operations; an instance is { ops, ctx }. The server creates one
 * instance per session, calls reset/step/state, and destroys it with the session.
 * The environment speaks structs and JSON values, never HTTP: it returns the
 * observation object (the fields inside the wire's "observation"), the reward and
 * done; the server wraps them in the OpenEnv envelope.
 *
 * Contract for every op:
 *   - reset/step return RG_OK or a negative code with err set; on error the
 *     episode state is unchanged (a bad action never costs the session anything);
 *   - out->observation is a new reference the caller frees;
 *   - step before reset is RG_ESTATE; step after done is RG_ESTATE.
 */
#ifndef RG_ENV_ENV_H
#define RG_ENV_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "bank/bank.h"
#include "bank/custom.h"
#include "core/err.h"
#include "core/json.h"
#include "core/limits.h"

/* Reset parameters (SPEC.md §2), parsed and range-checked by rg_reset_params_parse. */
typedef struct rg_reset_params {
	bool has_seed;
	uint64_t seed;
	uint64_t entropy;               /* server randomness, used when !has_seed */
	char episode_id[RG_MAX_EPISODE_ID_LEN + 1]; /* "" = let the server pick */
	char family[32];                /* "" = default family */
	char task_id[RG_MAX_ID_LEN + 1];
	int difficulty;                 /* enum rg_difficulty or -1 */
	char tasks[RG_MAX_EPISODE_TASKS][RG_MAX_ID_LEN + 1];
	size_t n_tasks;
	int max_attempts;               /* 0 = default */
	bool reward_delta;              /* reward_mode "delta" */
} rg_reset_params;

/* Parse a reset body (object or NULL for {}). Unknown keys are ignored, as the
 * reference does; known keys are validated and errors name them. */
RG_MUST_CHECK int rg_reset_params_parse(const rg_json *data, rg_reset_params *out,
					rg_err *err);

/* What an environment may read: the bank, and the custom review tasks the server
 * holds (NULL when there are none, e.g. in unit tests). Outlives every instance. */
typedef struct rg_env_world {
	const rg_bank *bank;
	rg_custom_store *custom;
} rg_env_world;

typedef struct rg_env_result {
	rg_json *observation;  /* new reference */
	double reward;         /* valid when has_reward */
	bool has_reward;
	bool done;
} rg_env_result;

typedef struct rg_env_ops {
	const char *family;
	const char *description;
	void *(*create)(const rg_env_world *world, rg_err *err);
	int (*reset)(void *ctx, const rg_reset_params *params, rg_env_result *out, rg_err *err);
	int (*step)(void *ctx, const rg_json *action, rg_env_result *out, rg_err *err);
	/* Full state object: episode_id, step_count and family fields (new reference). */
	rg_json *(*state)(void *ctx);
	const char *(*episode_id)(void *ctx);
	bool (*is_done)(void *ctx);
	/* The last accepted action as the environment understood it (findings,
	 * decision, comment, after every repair), as compact JSON text, for the
	 * episode store; borrowed, valid until the next step/reset/destroy; NULL
	 * before the first step (or when memory ran out recording it). */
	const char *(*last_action)(void *ctx, size_t *len);
	void (*destroy)(void *ctx);
	/* JSON Schemas (static text) for this family's action and observation. */
	const char *action_schema;
	const char *observation_schema;
} rg_env_ops;

typedef struct rg_env {
	const rg_env_ops *ops;
	void *ctx;
} rg_env;

/* Registry (env/registry.c). The default family is the first. */
const rg_env_ops *rg_env_family(const char *name); /* NULL when unknown */
const rg_env_ops *rg_env_default_family(void);
size_t rg_env_family_count(void);
const rg_env_ops *rg_env_family_at(size_t i);

#endif
