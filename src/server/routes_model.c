/*
 * routes_model.c - POST /api/custom/review: run a model the dashboard user
 * configured (OpenAI-compatible base URL, model name, key) on their code, through
 * the runner's LLM client (agent/llm.h), and grade its findings with the same
 * environment an agent would meet (docs/api.md).
 *
 * Design: three phases, two threads.
 *   loop:   validate the request, register the custom task (bank/custom.c) and
 *           hold it, render the prompt; queue a job (jobs.c);
 *   worker: the chat completion, seconds long (the loop keeps serving);
 *   loop:   parse the model's answer (env/repair.c), take out its fixed_code,
 *           play the rest as one pr_review custom turn in a throwaway session -
 *           recorded in the store like any episode, client "dashboard-model" -
 *           diff the fix against the code, answer.
 * Outbound calls happen only when the operator started the server with
 * --allow-model-calls. The key lives in the job's memory for the call only: it is
 * never logged, stored, echoed, and is wiped when the job is freed.
 */
#include "server/server_int.h"

#include <stdio.h>
#include <string.h>

#include "agent/llm.h"
#include "bank/diff.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "env/repair.h"
#include "server/jobs.h"
#include "server/wire.h"

#define MAX_URL 512
#define MAX_MODEL_NAME 128
#define MAX_KEY 1024

typedef struct model_job {
	rg_server *server;          /* read only on the loop (finish) */
	const rg_task *task;        /* held in the custom store until finish */
	char base_url[MAX_URL + 1], model[MAX_MODEL_NAME + 1], key[MAX_KEY + 1];
	double temperature;
	int max_tokens;
	rg_json *messages;
	/* worker results */
	char *text;
	rg_llm_usage usage;
	rg_err err;
	int rc;
	double latency_ms;
} model_job;

static const char system_prompt[] =
	"You are an expert code reviewer. Review the code the user sends for bugs, logic errors "
	"and security vulnerabilities. Answer with one JSON object and nothing else:\n"
	"{\"decision\": \"approve\" | \"request_changes\" | \"escalate\",\n"
	" \"comment\": \"the root cause in a sentence or two\",\n"
	" \"findings\": [{\"line_number\": <int>, \"issue_type\": \"bug\" | \"logic_error\" | "
	"\"security_vulnerability\", \"description\": \"...\", \"suggested_fix\": \"...\"}],\n"
	" \"fixed_code\": \"the whole file with every finding fixed\"}\n"
	"Line numbers are the ones shown before each line. Use escalate only for a critical "
	"security flaw; approve with no findings when the code is correct.";

static void model_job_free(void *p)
{
	model_job *m = p;
	if (!m)
		return;
	/* the key never outlives the request */
	volatile char *k = m->key;
	for (size_t i = 0; i < sizeof m->key; i++)
		k[i] = 0;
	if (m->task && m->server)
		rg_custom_release(m->server->custom, m->task);
	rg_json_free(m->messages);
	rg_free(m->text);
	rg_free(m);
}

static void run_model(rg_job *j)
{
	model_job *m = j->data;
	rg_llm_config cfg = {
		.base_url = m->base_url, .model = m->model, .api_key = m->key[0] ? m->key : NULL,
		.timeout_s = 120, .retries = 2, .temperature = m->temperature,
		.max_tokens = m->max_tokens,
	};
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	rg_err_clear(&m->err);
	m->rc = rg_llm_chat(&cfg, m->messages, &m->text, &m->usage, &m->err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	m->latency_ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

static rg_json *prompt(const rg_task *t)
{
	rg_buf b;
	rg_buf_init(&b, RG_MAX_CODE_BYTES * 2);
	int rc = rg_buf_printf(&b, "File %s:\n\n", t->pr ? t->pr->file : "snippet");
	const char *p = t->code;
	for (int line = 1; !rc && *p; line++) {
		size_t n = strcspn(p, "\n");
		rc = rg_buf_printf(&b, "%4d | %.*s\n", line, (int)n, p);
		p += n + (p[n] == '\n');
	}
	rg_json *msgs = rg_json_arr(), *sys = rg_json_obj(), *user = rg_json_obj();
	if (rc || !msgs || !sys || !user || rg_json_set_str(sys, "role", "system") ||
	    rg_json_set_str(sys, "content", system_prompt) || rg_json_set_str(user, "role", "user") ||
	    rg_json_set(user, "content", rg_json_strn(b.data ? b.data : "", b.len))) {
		rg_json_free(sys);
		rg_json_free(user);
		rg_json_free(msgs);
		msgs = NULL;
	} else if (rg_json_push(msgs, sys)) { /* push takes its value, even failing */
		rg_json_free(user);
		rg_json_free(msgs);
		msgs = NULL;
	} else if (rg_json_push(msgs, user)) {
		rg_json_free(msgs);
		msgs = NULL;
	}
	rg_buf_free(&b);
	return msgs;
}

/* ------------------------------------------------------------------------ */
/* Back on the loop                                                         */
/* ------------------------------------------------------------------------ */

/* Play the model's answer as one custom pr_review turn in a throwaway session
 * (recorded like any episode). Fills out with reward, breakdown, findings... */
static int play_turn(rg_server *s, model_job *m, rg_json *action, rg_json *out)
{
	rg_session ses;
	memset(&ses, 0, sizeof ses);
	ses.kind = RG_SESSION_HTTP;
	rg_json *params = rg_json_obj();
	rg_err err;
	rg_err_clear(&err);
	rg_reset_params p;
	bool id_given;
	int rc = !params || rg_json_set_str(params, "task_id", m->task->id) ||
		 rg_json_set_str(params, "client", "dashboard-model");
	rc = rc ? RG_ENOMEM : rg__server_reset_params(s, params, &p, &id_given, &err);
	rg_env_result r = { 0 };
	uint64_t now = rg__server_now_ms();
	rc = rc ? rc : rg_session_reset(&ses, &s->world, &p, now, &r, &err);
	if (!rc) {
		rg_json *env = rg_wire_envelope_obj(&r);
		size_t plen = 0, len = 0;
		char *ptext = rg_json_dump(params, &plen);
		char *text = env ? rg_json_dump(env, &len) : NULL;
		if (text && ptext)
			rg__record_reset(s, &ses, params, ptext, plen, env, text, len);
		rg_free(ptext);
		rg_free(text);
		rg_json_free(env);
	}
	if (!rc) {
		size_t alen = 0, len = 0;
		char *atext = rg_json_dump(action, &alen);
		uint64_t t0 = rg__server_now_us();
		rg_env_result st = { 0 };
		if (rg_session_step(&ses, action, now, &st, &err)) {
			rg__record_step(s, &ses, atext, alen, NULL, NULL, 0, &err, t0);
			char msg[RG_ERR_FIELD_BYTES + RG_ERR_MSG_BYTES + 4];
			snprintf(msg, sizeof msg, "%s%s%s", err.field, err.field[0] ? ": " : "", err.msg);
			rc = rg_json_set_str(out, "error", msg);
			static const char *const none[] = { "reward", "breakdown", "feedback",
							    "decision", "comment", "findings" };
			for (size_t i = 0; !rc && i < sizeof none / sizeof *none; i++)
				rc = rg_json_set_null(out, none[i]);
		} else {
			rg_json *env = rg_wire_envelope_obj(&st);
			char *text = env ? rg_json_dump(env, &len) : NULL;
			rg__record_step(s, &ses, atext, alen, env, text, len, NULL, t0);
			const rg_json *obs = rg_json_get(env, "observation");
			size_t norm_len = 0;
			const char *norm_text = ses.env.ops->last_action(ses.env.ctx, &norm_len);
			rg_err perr;
			rg_err_clear(&perr);
			rg_json *norm = norm_text ? rg_json_parse(norm_text, norm_len, &perr) : NULL;
			rc = !env || rg_json_set_null(out, "error") ||
			     rg_json_set(out, "reward", rg_json_ref(rg_json_get(env, "reward"))) ||
			     rg_json_set(out, "breakdown", rg_json_ref(rg_json_get(obs, "reward_breakdown"))) ||
			     rg_json_set(out, "feedback", rg_json_ref(rg_json_get(obs, "feedback"))) ||
			     rg_json_set(out, "decision", rg_json_ref(rg_json_get(norm, "decision"))) ||
			     rg_json_set(out, "comment", rg_json_ref(rg_json_get(norm, "comment"))) ||
			     rg_json_set(out, "findings", rg_json_ref(rg_json_get(norm, "findings")));
			rg_json_free(norm);
			rg_free(text);
			rg_json_free(env);
		}
		rg_free(atext);
		rc = rc || (ses.store_id > 0 ? rg_json_set_int(out, "episode", (long long)ses.store_id)
					     : rg_json_set_null(out, "episode")) ||
		     rg_json_set_str(out, "episode_id", p.episode_id);
	}
	if (ses.env.ops)
		ses.env.ops->destroy(ses.env.ctx);
	rg_json_free(params);
	return rc;
}

static void finish_model(rg_job *j, void *server)
{
	model_job *m = j->data;
	rg_server *s = server;
	if (m->rc) {
		char msg[RG_ERR_MSG_BYTES + 32];
		snprintf(msg, sizeof msg, "model call failed: %s", m->err.msg);
		j->status = 502;
		j->body = rg_wire_detail(msg, &j->len);
		return;
	}
	rg_warnings w;
	rg_warn_clear(&w);
	rg_err err;
	rg_err_clear(&err);
	rg_json *action = rg_repair_parse(m->text, strlen(m->text), "{\"decision\": ..., \"findings\": [...]}", &w, &err);
	char *fixed = NULL;
	if (rg_json_is_obj(action)) {
		const rg_json *f = rg_json_get(action, "fixed_code");
		if (rg_json_is_str(f) && rg_json_str_len(f) <= RG_MAX_CODE_BYTES)
			fixed = rg_strdup(rg_json_str_val(f));
		rg_json_del(action, "fixed_code");
	} else {
		rg_json_free(action); /* let the environment say what is wrong with the text */
		action = rg_json_obj();
		if (action && rg_json_set_str(action, "text", m->text)) {
			rg_json_free(action);
			action = NULL;
		}
	}
	rg_json *out = rg_json_obj();
	rg_buf diff;
	rg_buf_init(&diff, RG_MAX_DIFF_BYTES);
	int rc = !out || !action || rg_json_set_str(out, "task_id", m->task->id) ||
		 rg_json_set_str(out, "model", m->model) || rg_json_set_str(out, "text", m->text);
	rc = rc || play_turn(s, m, action, out);
	if (!rc && fixed && strcmp(fixed, m->task->code)) {
		rg_err_clear(&err);
		if (rg_diff_texts(m->task->code, strlen(m->task->code), fixed, strlen(fixed),
				  m->task->pr ? m->task->pr->file : "snippet", 3, &diff, NULL, &err))
			rg_buf_reset(&diff);
	}
	rc = rc || rg_json_set(out, "fixed_code", fixed ? rg_json_str(fixed) : rg_json_null()) ||
	     rg_json_set(out, "diff", diff.len ? rg_json_strn(diff.data, diff.len) : rg_json_null()) ||
	     rg_json_set(out, "latency_ms", rg_json_real(m->latency_ms));
	rg_json *usage = rc ? NULL : rg_json_obj();
	rc = rc || !usage || rg_json_set_int(usage, "prompt_tokens", m->usage.prompt_tokens) ||
	     rg_json_set_int(usage, "completion_tokens", m->usage.completion_tokens) ||
	     rg_json_set_int(usage, "retries", m->usage.retries);
	if (!rc) {
		rc = rg_json_set(out, "usage", usage);
		usage = NULL;
	}
	rg_json_free(usage);
	j->status = 200;
	j->body = rc ? NULL : rg_json_dump(out, &j->len);
	rg_json_free(out);
	rg_json_free(action);
	rg_buf_free(&diff);
	rg_free(fixed);
}

/* ------------------------------------------------------------------------ */
/* The route                                                                */
/* ------------------------------------------------------------------------ */

static const char *const body_prefix[] = { "body" };

/* A string field of obj at path, max chars, optional; errors name the path. */
static bool text_field(const rg_json *obj, const char *key, const char *path, size_t max,
		       bool required, char *out, size_t cap, rg_err *err)
{
	const rg_json *v = rg_json_get(obj, key);
	out[0] = '\0';
	if (!v || rg_json_is_null(v)) {
		if (required)
			rg_err_set(err, RG_EINVAL, path, "missing", "Field required");
		return !required;
	}
	if (!rg_json_is_str(v)) {
		rg_err_set(err, RG_EINVAL, path, "string_type", "expected a string");
		return false;
	}
	if (rg_json_str_len(v) > max || rg_json_str_len(v) >= cap ||
	    strlen(rg_json_str_val(v)) != rg_json_str_len(v)) {
		rg_err_set(err, RG_EINVAL, path, "string_too_long",
			   "at most %zu characters, without NUL", max);
		return false;
	}
	memcpy(out, rg_json_str_val(v), rg_json_str_len(v) + 1);
	return true;
}

static bool parse_model(const rg_json *req, model_job *m, rg_err *err)
{
	const rg_json *model = rg_json_get(req, "model");
	if (!rg_json_is_obj(model))
		return !rg_err_set(err, RG_EINVAL, "model", model ? "dict_type" : "missing",
				   "expected {\"base_url\", \"name\", \"api_key\"?}");
	for (void *it = rg_json_iter(model); it; it = rg_json_iter_next(model, it)) {
		const char *k = rg_json_iter_key(it);
		if (strcmp(k, "base_url") && strcmp(k, "name") && strcmp(k, "api_key")) {
			char path[80];
			snprintf(path, sizeof path, "model.%.60s", k);
			return !rg_err_set(err, RG_EINVAL, path, "extra_forbidden",
					   "unknown field; expected base_url, name, api_key");
		}
	}
	if (!text_field(model, "base_url", "model.base_url", MAX_URL, true, m->base_url,
			sizeof m->base_url, err) ||
	    !text_field(model, "name", "model.name", MAX_MODEL_NAME, true, m->model,
			sizeof m->model, err) ||
	    !text_field(model, "api_key", "model.api_key", MAX_KEY, false, m->key, sizeof m->key, err))
		return false;
	if (strncmp(m->base_url, "http://", 7) && strncmp(m->base_url, "https://", 8))
		return !rg_err_set(err, RG_EINVAL, "model.base_url", "url_scheme",
				   "expected an http:// or https:// URL");
	if (!m->model[0])
		return !rg_err_set(err, RG_EINVAL, "model.name", "string_too_short", "must not be empty");
	const rg_json *t = rg_json_get(req, "temperature");
	m->temperature = 0;
	if (t && !rg_json_is_null(t)) {
		if ((!rg_json_is_real(t) && !rg_json_is_int(t)) || rg_json_real_val(t) < 0 ||
		    rg_json_real_val(t) > 2)
			return !rg_err_set(err, RG_EINVAL, "temperature", "value_error",
					   "expected a number in 0..2");
		m->temperature = rg_json_real_val(t);
	}
	const rg_json *mt = rg_json_get(req, "max_tokens");
	m->max_tokens = 2000;
	if (mt && !rg_json_is_null(mt)) {
		if (!rg_json_is_int(mt) || rg_json_int_val(mt) < 1 || rg_json_int_val(mt) > 32000)
			return !rg_err_set(err, RG_EINVAL, "max_tokens", "value_error",
					   "expected an integer in 1..32000");
		m->max_tokens = (int)rg_json_int_val(mt);
	}
	return true;
}

void rg__h_custom_review(rg_server *s, rg_conn *c, const char *body, size_t n)
{
	if (!s->cfg->allow_model_calls) {
		size_t len = 0;
		char *b = rg_wire_detail("model calls are disabled on this server; the operator can enable them with --allow-model-calls", &len);
		rg__respond(c, 403, b, len);
		return;
	}
	rg_json *req = rg__body_json(c, body, n);
	if (!req)
		return;
	rg_err err;
	rg_err_clear(&err);
	model_job *m = rg_calloc(1, sizeof *m);
	rg_json *task_body = rg_json_is_obj(req) ? rg_json_deep_copy(req) : NULL;
	char id[RG_MAX_ID_LEN + 1];
	if (!rg_json_is_obj(req)) {
		rg_err_set(&err, RG_EINVAL, NULL, "model_attributes_type",
			   "expected an object {\"code\"|\"diff\", \"model\": {...}, ...}");
	} else if (!m || !task_body) {
		rg_err_set(&err, RG_ENOMEM, NULL, NULL, "out of memory");
	} else if (parse_model(req, m, &err)) {
		rg_json_del(task_body, "model");
		rg_json_del(task_body, "temperature");
		rg_json_del(task_body, "max_tokens");
		if (!rg_custom_add(s->custom, task_body, id, &err)) {
			m->task = rg_custom_acquire(s->custom, id);
			m->server = s;
			m->messages = m->task ? prompt(m->task) : NULL;
			if (!m->messages)
				rg_err_set(&err, RG_ENOMEM, NULL, NULL, "out of memory");
		}
	}
	rg_json_free(task_body);
	rg_json_free(req);
	if (rg_err_is_set(&err)) {
		model_job_free(m);
		rg__respond_err(c, &err, body_prefix, 1);
		return;
	}
	rg_job *j = rg_job_new(run_model, m, model_job_free);
	if (!j) {
		rg__respond(c, 500, NULL, 0);
		return;
	}
	j->finish = finish_model;
	if (!rg_jobs_submit(s->model_jobs, j, c->wsi, c)) {
		size_t len = 0;
		char *b = rg_wire_detail("too many model calls in progress; retry shortly", &len);
		rg__respond(c, 503, b, len);
		return;
	}
	c->job = j;
}
