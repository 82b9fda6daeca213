/*
 * code_review.c - the code_review family: an episode walks a list of tasks; on
 * each the agent gets up to max_attempts graded attempts with feedback.
 *
 * Design: the episode is a small state machine over (task index, attempts on the
 * task, best score per task). Task choice is a pure function of the reset
 * parameters and the seed (core/rng), so the same seed and parameters give the
 * same episode bit for bit; without a seed the server's entropy is used and the
 * effective seed is reported so the episode can be replayed. A step parses the
 * action first and touches no state until the action is known good, so a bad
 * action costs nothing. A perfect attempt (score >= profile.perfect) or the last
 * allowed attempt advances to the next task; after the last task the episode is
 * done and its score is the mean of the per-task bests.
 *
 * Reward: "score" mode returns the attempt's score; "delta" mode returns the
 * improvement over the best so far, so a task's rewards sum to its best score.
 *
 * Ownership: the context borrows the bank (which outlives every session) and owns
 * nothing else on the heap; it is ~1 KB.
 */
#include "env/env.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/rng.h"
#include "env/action.h"
#include "env/cr_report.h"
#include "env/schemas.h"
#include "grade/grade.h"
#include "core/alloc.h"

/* Feedback text ceiling: 256 findings x ~160 bytes of verdict each. */
#define FEEDBACK_MAX_BYTES (64 * 1024)

typedef struct cr_ctx {
	const rg_bank *bank;
	const rg_grade_profile *profile;
	char episode_id[RG_MAX_EPISODE_ID_LEN + 1];
	uint64_t seed;
	bool started, done, reward_delta;
	int max_attempts;
	size_t n_tasks, cur;
	const rg_task *tasks[RG_MAX_EPISODE_TASKS];
	double best[RG_MAX_EPISODE_TASKS];
	int attempts[RG_MAX_EPISODE_TASKS];
	uint32_t found[RG_MAX_EPISODE_TASKS]; /* issues matched in any attempt (bitmask) */
	long long step_count;
	rg_buf last_action;    /* the last accepted action, normalised, as JSON text (len 0:
				* none); kept across steps and episodes, so a step allocates
				* nothing for it once the buffer has grown */
} cr_ctx;

/* ------------------------------------------------------------------------ */
/* Lifecycle                                                                */
/* ------------------------------------------------------------------------ */

static void *cr_create(const rg_env_world *world, rg_err *err)
{
	cr_ctx *c = rg_calloc(1, sizeof *c);
	if (!c) {
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory creating an environment");
		return NULL;
	}
	c->bank = world->bank;
	c->profile = &rg_grade_default;
	rg_buf_init(&c->last_action, SIZE_MAX); /* bounded by the action's own limits */
	return c;
}

static void cr_destroy(void *ctx)
{
	if (ctx)
		rg_buf_free(&((cr_ctx *)ctx)->last_action);
	rg_free(ctx);
}

/* Choose the episode's tasks from the parameters; fills c->tasks. */
static int choose_tasks(cr_ctx *c, const rg_reset_params *p, rg_err *err)
{
	const rg_bank *b = c->bank;
	if (p->task_id[0] || p->n_tasks) {
		size_t n = p->task_id[0] ? 1 : p->n_tasks;
		for (size_t i = 0; i < n; i++) {
			const char *id = p->task_id[0] ? p->task_id : p->tasks[i];
			const rg_task *t = rg_bank_find(b, id);
			char field[32];
			if (p->task_id[0])
				snprintf(field, sizeof field, "task_id");
			else
				snprintf(field, sizeof field, "tasks[%zu]", i);
			if (!t || strcmp(t->family, "code_review"))
				return rg_err_set(err, RG_EINVAL, field, "value_error",
						  "unknown code_review task \"%.64s\" (GET /tasks lists them)",
						  id);
			c->tasks[i] = t;
		}
		c->n_tasks = n;
		return RG_OK;
	}
	rg_rng rng;
	rg_rng_seed(&rng, c->seed);
	int lo = p->difficulty >= 0 ? p->difficulty : 0;
	int hi = p->difficulty >= 0 ? p->difficulty : RG_DIFFICULTY__COUNT - 1;
	c->n_tasks = 0;
	for (int d = lo; d <= hi; d++) {
		size_t idx[RG_MAX_TASKS];
		size_t n = rg_bank_select(b, "code_review", d, idx, RG_MAX_TASKS);
		/* Default episodes draw from the training split; the held-out split is
		 * reached by explicit task ids. */
		size_t train = 0;
		for (size_t i = 0; i < n; i++)
			if (!rg_bank_at(b, idx[i])->eval_split)
				idx[train++] = idx[i];
		if (train)
			n = train;
		else
			n = rg_bank_select(b, "code_review", d, idx, RG_MAX_TASKS);
		if (n == 0)
			return rg_err_set(err, RG_EINVAL, "difficulty", "value_error",
					  "the bank has no %s code_review task", rg_difficulty_name(d));
		c->tasks[c->n_tasks++] = rg_bank_at(b, idx[rg_rng_below(&rng, n)]);
	}
	return RG_OK;
}

/* ------------------------------------------------------------------------ */
/* Observations                                                             */
/* ------------------------------------------------------------------------ */

static double episode_score(const cr_ctx *c)
{
	double s = 0;
	for (size_t i = 0; i < c->n_tasks; i++)
		s += c->best[i];
	return rg_grade_round(s / (double)c->n_tasks);
}

static rg_json *task_scores(const cr_ctx *c)
{
	rg_json *a = rg_json_arr();
	for (size_t i = 0; a && i < c->n_tasks; i++) {
		bool seen = i < c->cur || c->attempts[i] > 0 || c->done;
		if (rg_json_push(a, seen ? rg_json_real(c->best[i]) : rg_json_null())) {
			rg_json_free(a);
			return NULL;
		}
	}
	return a;
}

static int popcount32(uint32_t x)
{
	return __builtin_popcount(x);
}

/* The observation for the task now in front of the agent. Takes breakdown and
 * warnings (either may be NULL). */
static rg_json *observation(const cr_ctx *c, const char *feedback, rg_json *breakdown,
			    rg_json *warnings)
{
	const rg_task *t = c->tasks[c->cur];
	rg_json *o = rg_json_obj();
	int rc = !o;
	rc = rc || rg_json_set_str(o, "task_id", t->id) ||
	     rg_json_set_str(o, "title", t->title) ||
	     rg_json_set_str(o, "task_description", t->description) ||
	     rg_json_set_str(o, "difficulty", rg_difficulty_name(t->difficulty)) ||
	     rg_json_set_str(o, "code_to_review", t->code) ||
	     rg_json_set_str(o, "language", t->language) ||
	     rg_json_set_int(o, "num_known_issues", (long long)t->n_issues) ||
	     rg_json_set_str(o, "feedback", feedback) ||
	     rg_json_set_int(o, "issues_found_so_far", popcount32(c->found[c->cur])) ||
	     rg_json_set_int(o, "attempt", c->attempts[c->cur]) ||
	     rg_json_set_int(o, "max_attempts", c->max_attempts) ||
	     rg_json_set_int(o, "task_index", (long long)c->cur) ||
	     rg_json_set_int(o, "num_tasks", (long long)c->n_tasks);
	if (!rc) {
		rc = rg_json_set(o, "reward_breakdown", breakdown ? breakdown : rg_json_null());
		breakdown = NULL;
	}
	if (!rc) {
		rc = rg_json_set(o, "warnings", warnings ? warnings : rg_json_arr());
		warnings = NULL;
	}
	rc = rc || rg_json_set_str(o, "family", "code_review") ||
	     rg_json_set_str(o, "episode_id", c->episode_id) ||
	     rg_json_set_int(o, "seed", (long long)c->seed) ||
	     rg_json_set(o, "task_scores", task_scores(c)) ||
	     (c->done ? rg_json_set_real(o, "episode_score", episode_score(c))
		      : rg_json_set_null(o, "episode_score"));
	rg_json_free(breakdown);
	rg_json_free(warnings);
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static int intro(const cr_ctx *c, rg_buf *b)
{
	const rg_task *t = c->tasks[c->cur];
	return rg_buf_printf(b,
			     "Task %zu/%zu (%s): %s. %zu known issues; up to %d attempts. Report each issue "
			     "with line_number, issue_type (bug | logic_error | security_vulnerability), "
			     "description and suggested_fix.",
			     c->cur + 1, c->n_tasks, rg_difficulty_name(t->difficulty), t->title,
			     t->n_issues, c->max_attempts);
}

/* ------------------------------------------------------------------------ */
/* reset / step / state                                                     */
/* ------------------------------------------------------------------------ */

static int cr_reset(void *ctx, const rg_reset_params *p, rg_env_result *out, rg_err *err)
{
	cr_ctx *c = ctx;
	cr_ctx next = { .bank = c->bank, .profile = c->profile };
	next.seed = p->has_seed ? p->seed : p->entropy;
	next.max_attempts = p->max_attempts ? p->max_attempts : RG_DEFAULT_MAX_ATTEMPTS;
	next.reward_delta = p->reward_delta;
	snprintf(next.episode_id, sizeof next.episode_id, "%s", p->episode_id);
	int rc = choose_tasks(&next, p, err);
	if (rc)
		return rc; /* the previous episode is untouched */
	next.started = true;
	rg_buf b;
	rg_buf_init(&b, FEEDBACK_MAX_BYTES);
	rc = rg_buf_printf(&b, "New code_review episode: %zu task%s. ", next.n_tasks,
			   next.n_tasks == 1 ? "" : "s");
	rc = rc ? rc : intro(&next, &b);
	rg_json *obs = rc ? NULL : observation(&next, b.data, NULL, NULL);
	rg_buf_free(&b);
	if (!obs)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the observation");
	next.last_action = c->last_action;
	rg_buf_reset(&next.last_action);
	*c = next;
	out->observation = obs;
	out->has_reward = false;
	out->reward = 0;
	out->done = false;
	return RG_OK;
}

static int cr_step(void *ctx, const rg_json *action, rg_env_result *out, rg_err *err)
{
	cr_ctx *c = ctx;
	if (!c->started)
		return rg_err_set(err, RG_ESTATE, NULL, NULL, "no active episode: call reset first");
	if (c->done)
		return rg_err_set(err, RG_ESTATE, NULL, NULL,
				  "episode is done: call reset to start a new one");
	rg_warnings w;
	rg_warn_clear(&w);
	rg_cr_action a;
	int rc = rg_cr_action_parse(action, &a, &w, err);
	if (rc)
		return rc;
	const rg_task *t = c->tasks[c->cur];
	rg_grade_result *r = rg_malloc(sizeof *r);
	if (!r) {
		rg_cr_action_release(&a);
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory grading");
	}
	rc = rg_grade_attempt(t, rg_bank_lexicon(c->bank), a.findings, a.n, c->profile, r, err);
	if (rc)
		goto out;

	/* Work on a copy: commit only once the observation is built. */
	cr_ctx next = *c;
	size_t i = next.cur;
	double prev_best = next.best[i];
	next.attempts[i]++;
	next.step_count++;
	if (r->score > next.best[i])
		next.best[i] = r->score;
	for (size_t k = 0; k < r->n_issues; k++)
		if (r->issues[k].finding >= 0)
			next.found[i] |= (uint32_t)1 << k;
	double reward = next.reward_delta ? rg_grade_round(next.best[i] - prev_best) : r->score;

	rg_buf b;
	rg_buf_init(&b, FEEDBACK_MAX_BYTES);
	rc = rg__cr_feedback(&b, t, &a, r, next.attempts[i], next.max_attempts);
	bool advance = r->score >= next.profile->perfect || next.attempts[i] >= next.max_attempts;
	if (!rc && advance) {
		rc = rg_buf_printf(&b, " Task %s finished with best score %.4g.", t->id, next.best[i]);
		if (next.cur + 1 < next.n_tasks) {
			next.cur++;
			rc = rc ? rc : rg_buf_puts(&b, " Next: ");
			rc = rc ? rc : intro(&next, &b);
		} else {
			next.done = true;
			rc = rc ? rc : rg_buf_printf(&b, " Episode done: score %.4g over %zu tasks.",
						     episode_score(&next), next.n_tasks);
		}
	} else if (!rc) {
		rc = rg_buf_printf(&b, " %d attempt%s left on this task.",
				   next.max_attempts - next.attempts[i],
				   next.max_attempts - next.attempts[i] == 1 ? "" : "s");
	}
	rg_json *obs = NULL;
	if (!rc) {
		rg_json *bd = rg__cr_breakdown(t, &a, r, next.profile, next.attempts[i], reward);
		rg_json *wj = rg_warn_to_json(&w);
		obs = bd && wj ? observation(&next, b.data, bd, wj) : NULL;
		if (!bd || !wj) {
			rg_json_free(bd);
			rg_json_free(wj);
		}
	}
	rg_buf_free(&b);
	if (!obs) {
		rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the observation");
		goto out;
	}
	*c = next;
	out->observation = obs;
	out->has_reward = true;
	out->reward = reward;
	out->done = c->done;
	rg_buf_reset(&c->last_action);
	if (rg_cr_action_text(&a, &c->last_action))
		rg_buf_reset(&c->last_action); /* out of memory: no record of this action */
out:
	rg_free(r);
	rg_cr_action_release(&a);
	return rc;
}

static rg_json *cr_state(void *ctx)
{
	const cr_ctx *c = ctx;
	rg_json *o = rg_json_obj();
	rg_json *ids = rg_json_arr();
	int rc = !o || !ids;
	for (size_t i = 0; !rc && i < c->n_tasks; i++)
		rc = rg_json_push(ids, rg_json_str(c->tasks[i]->id));
	rc = rc || (c->started ? rg_json_set_str(o, "episode_id", c->episode_id)
			       : rg_json_set_null(o, "episode_id"));
	rc = rc || rg_json_set_int(o, "step_count", c->step_count) ||
	     rg_json_set_str(o, "family", "code_review");
	if (!rc) {
		rc = rg_json_set(o, "task_ids", ids);
		ids = NULL;
	}
	rc = rc || rg_json_set_int(o, "task_index", (long long)c->cur) ||
	     rg_json_set_int(o, "num_tasks", (long long)c->n_tasks) ||
	     rg_json_set_int(o, "attempt", c->n_tasks ? c->attempts[c->cur] : 0) ||
	     rg_json_set_int(o, "max_attempts", c->max_attempts) ||
	     rg_json_set(o, "task_scores", task_scores(c)) ||
	     (c->done ? rg_json_set_real(o, "episode_score", episode_score(c))
		      : rg_json_set_null(o, "episode_score")) ||
	     rg_json_set_bool(o, "done", c->done) ||
	     (c->started ? rg_json_set_int(o, "seed", (long long)c->seed)
			 : rg_json_set_null(o, "seed")) ||
	     rg_json_set_str(o, "reward_mode", c->reward_delta ? "delta" : "score");
	rg_json_free(ids);
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static const char *cr_episode_id(void *ctx)
{
	const cr_ctx *c = ctx;
	return c->started ? c->episode_id : NULL;
}

static bool cr_is_done(void *ctx)
{
	return ((const cr_ctx *)ctx)->done;
}

static const char *cr_last_action(void *ctx, size_t *len)
{
	const cr_ctx *c = ctx;
	*len = c->last_action.len;
	return c->last_action.len ? c->last_action.data : NULL;
}

const rg_env_ops rg_env_code_review = {
	.family = "code_review",
	.description = "Review a Python snippet and report every issue (line, type, description, "
		       "fix); graded against execution-verified ground truth, 3 attempts per task, "
		       "easy -> medium -> hard.",
	.create = cr_create,
	.reset = cr_reset,
	.step = cr_step,
	.state = cr_state,
	.episode_id = cr_episode_id,
	.is_done = cr_is_done,
	.last_action = cr_last_action,
	.destroy = cr_destroy,
	.action_schema = RG_SCHEMA_CODE_REVIEW_ACTION,
	.observation_schema = RG_SCHEMA_CODE_REVIEW_OBSERVATION,
};
