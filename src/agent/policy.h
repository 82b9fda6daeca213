/*
 * policy.h - the runner's policies: what answers an observation.
 *
 * Design: a policy is a kind plus per-episode memory. Each turn it gets the
 * observation the server sent and returns the step data to send back: a JSON
 * action (oracle, empty, heuristic), or - for llm - the model's raw text wrapped
 * as {"text": ...}, so the server's tolerant normaliser parses it exactly as it
 * would parse a trainer's rollout. Policies never see the server's internals;
 * only the oracle reads the bank (that is its job: the upper baseline).
 *
 *   oracle     ground truth: the reference review / the ideal pr_review stance
 *   empty      nothing: no findings / a comment without a decision
 *   heuristic  rule-based checks (agent/heuristic.h), no LLM, no ground truth
 *   llm        an OpenAI-compatible chat model (agent/llm.h), prompted with the
 *              action format, the observation and the conversation so far
 *
 * One rg_policy per runner thread; the llm kind keeps the episode's messages.
 */
#ifndef RG_AGENT_POLICY_H
#define RG_AGENT_POLICY_H

#include <pthread.h>
#include <stdbool.h>

#include "agent/llm.h"
#include "bank/bank.h"
#include "core/err.h"
#include "core/json.h"

enum rg_policy_kind { RG_POLICY_ORACLE, RG_POLICY_EMPTY, RG_POLICY_HEURISTIC, RG_POLICY_LLM };

/* Parse "oracle" | "empty" | "heuristic" | "llm"; -1 when unknown. */
int rg_policy_parse(const char *s);
const char *rg_policy_name(enum rg_policy_kind k);

/* What all threads of a run share (read-only, except usage under its lock). */
typedef struct rg_policy_shared {
	enum rg_policy_kind kind;
	const rg_bank *bank;        /* oracle only */
	rg_llm_config llm;          /* llm only */
	long long token_budget;     /* llm: prompt + completion tokens per run, 0 = none */
	pthread_mutex_t lock;       /* guards usage */
	rg_llm_usage usage;
} rg_policy_shared;

typedef struct rg_policy {
	const rg_policy_shared *shared_ro;
	rg_policy_shared *shared;
	rg_json *messages;          /* llm: the conversation of the current task */
} rg_policy;

void rg_policy_init(rg_policy *p, rg_policy_shared *shared);
void rg_policy_free(rg_policy *p);
/* A new task or episode begins: forget the conversation. */
void rg_policy_begin(rg_policy *p);

/* The step data for observation (new reference); *label receives a one-line
 * rendering for the [STEP] log (rg_malloc'd). feedback_error, when not NULL, is
 * the server's rejection of the previous action: the llm is told, the others
 * ignore it. NULL with err when no action can be produced (e.g. the LLM endpoint
 * failed after its retries, or the token budget is spent). */
rg_json *rg_policy_act(rg_policy *p, const char *family, const rg_json *obs,
		       const char *feedback_error, char **label, rg_err *err);

#endif
