/*
 * pr_view.c - what a pr_review episode shows: the observation after reset and
 * each step, and the state object (see pr_int.h).
 *
 * Design: pure functions of the context, so reset and step build the view of a
 * candidate context and commit it only when building succeeded. Optional values
 * are explicit nulls (success, outcome and episode_score until the episode is
 * done; difficulty and success for custom tasks), so every observation has the
 * same keys.
 */
#include "env/pr_int.h"

#include <string.h>

#include "grade/pr_grade.h"

const rg_pr_version *rg__pr_version(const pr_ctx *c)
{
	return &c->task->pr->versions[c->version];
}

double rg__pr_score(const pr_ctx *c, bool final)
{
	if (c->task->pr->kind == RG_PR_CUSTOM)
		return c->custom_score;
	double r[RG_MAX_PR_TURNS];
	for (int i = 0; i < c->turns; i++)
		r[i] = c->history[i].reward;
	return rg_pr_episode_score(r, (size_t)c->turns, final && c->success, c->catastrophic);
}

static rg_json *history_json(const pr_ctx *c)
{
	rg_json *a = rg_json_arr();
	for (int i = 0; a && i < c->turns; i++) {
		const pr_turn *h = &c->history[i];
		rg_json *e = rg_json_obj();
		int rc = !e || rg_json_set_int(e, "turn", i + 1) ||
			 rg_json_set_str(e, "decision", rg_decision_name(h->decision)) ||
			 rg_json_set_str(e, "comment", h->comment ? h->comment : "") ||
			 rg_json_set_str(e, "author_reply", h->reply) ||
			 rg_json_set_int(e, "revision", h->version + 1) ||
			 (h->has_reward ? rg_json_set_real(e, "reward", h->reward)
					: rg_json_set_null(e, "reward"));
		if (rc || rg_json_push(a, e)) {
			if (rc)
				rg_json_free(e);
			rg_json_free(a);
			return NULL;
		}
	}
	return a;
}

static rg_json *decisions_json(void)
{
	rg_json *a = rg_json_arr();
	for (int d = 0; a && d < RG_DECISION__COUNT; d++)
		if (rg_json_push(a, rg_json_str(rg_decision_name((enum rg_decision)d)))) {
			rg_json_free(a);
			return NULL;
		}
	return a;
}

/* Set a member to a new value, or to null when v is NULL because of ENOMEM:
 * returns nonzero then, so the caller fails cleanly. */
static int set_new(rg_json *o, const char *key, rg_json *v)
{
	return !v || rg_json_set(o, key, v);
}

rg_json *rg__pr_observation(const pr_ctx *c, const char *feedback, rg_json *breakdown,
			    rg_json *warnings)
{
	const rg_task *t = c->task;
	const rg_pr_scenario *s = t->pr;
	const rg_pr_version *v = rg__pr_version(c);
	bool custom = s->kind == RG_PR_CUSTOM;
	rg_json *o = rg_json_obj();
	int rc = !o;
	rc = rc || rg_json_set_str(o, "task_id", t->id) ||
	     rg_json_set_str(o, "kind", rg_pr_kind_name(s->kind)) ||
	     (custom ? rg_json_set_null(o, "difficulty")
		     : rg_json_set_str(o, "difficulty", rg_difficulty_name(t->difficulty))) ||
	     rg_json_set_str(o, "pr_title", s->pr_title) ||
	     rg_json_set_str(o, "pr_description", s->pr_description) ||
	     rg_json_set_str(o, "file", s->file) || rg_json_set_str(o, "diff", v->diff) ||
	     rg_json_set_str(o, "code_to_review", v->review.code) ||
	     rg_json_set_str(o, "language", t->language) ||
	     rg_json_set_int(o, "revision", c->version + 1) ||
	     rg_json_set_str(o, "author_message", c->author_message) ||
	     rg_json_set_int(o, "turn", c->turns) || rg_json_set_int(o, "max_turns", s->max_turns) ||
	     set_new(o, "history", history_json(c)) || rg_json_set_str(o, "feedback", feedback) ||
	     set_new(o, "allowed_decisions", c->done ? rg_json_arr() : decisions_json());
	if (!rc) {
		rc = rg_json_set(o, "reward_breakdown", breakdown ? breakdown : rg_json_null());
		breakdown = NULL;
	}
	if (!rc) {
		rc = rg_json_set(o, "warnings", warnings ? warnings : rg_json_arr());
		warnings = NULL;
	}
	rc = rc || rg_json_set_str(o, "family", "pr_review") ||
	     rg_json_set_str(o, "episode_id", c->episode_id) ||
	     rg_json_set_int(o, "seed", (long long)c->seed) ||
	     (c->done && !custom ? rg_json_set_bool(o, "success", c->success)
				 : rg_json_set_null(o, "success")) ||
	     (c->done ? rg_json_set_str(o, "outcome", c->outcome) : rg_json_set_null(o, "outcome")) ||
	     (c->done && (!custom || c->has_score)
		      ? rg_json_set_real(o, "episode_score", rg__pr_score(c, true))
		      : rg_json_set_null(o, "episode_score"));
	rg_json_free(breakdown);
	rg_json_free(warnings);
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static rg_json *turn_rewards(const pr_ctx *c)
{
	rg_json *a = rg_json_arr();
	for (int i = 0; a && i < c->turns; i++)
		if (rg_json_push(a, c->history[i].has_reward ? rg_json_real(c->history[i].reward)
							     : rg_json_null())) {
			rg_json_free(a);
			return NULL;
		}
	return a;
}

rg_json *rg__pr_state(void *ctx)
{
	const pr_ctx *c = ctx;
	bool custom = c->started && c->task->pr->kind == RG_PR_CUSTOM;
	rg_json *o = rg_json_obj();
	int rc = !o;
	rc = rc || (c->started ? rg_json_set_str(o, "episode_id", c->episode_id)
			       : rg_json_set_null(o, "episode_id"));
	rc = rc || rg_json_set_int(o, "step_count", c->step_count) ||
	     rg_json_set_str(o, "family", "pr_review") ||
	     (c->started ? rg_json_set_str(o, "task_id", c->task->id)
			 : rg_json_set_null(o, "task_id")) ||
	     (c->started ? rg_json_set_str(o, "kind", rg_pr_kind_name(c->task->pr->kind))
			 : rg_json_set_null(o, "kind")) ||
	     rg_json_set_int(o, "turn", c->turns) ||
	     rg_json_set_int(o, "max_turns", c->started ? c->task->pr->max_turns : 0) ||
	     rg_json_set_int(o, "revision", c->started ? c->version + 1 : 0) ||
	     set_new(o, "turn_rewards", turn_rewards(c)) || rg_json_set_bool(o, "done", c->done) ||
	     (c->done && !custom ? rg_json_set_bool(o, "success", c->success)
				 : rg_json_set_null(o, "success")) ||
	     (c->done ? rg_json_set_str(o, "outcome", c->outcome) : rg_json_set_null(o, "outcome")) ||
	     (c->done && (!custom || c->has_score)
		      ? rg_json_set_real(o, "episode_score", rg__pr_score(c, true))
		      : rg_json_set_null(o, "episode_score")) ||
	     (c->started ? rg_json_set_int(o, "seed", (long long)c->seed)
			 : rg_json_set_null(o, "seed")) ||
	     rg_json_set_str(o, "reward_mode", c->reward_delta ? "delta" : "score");
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

