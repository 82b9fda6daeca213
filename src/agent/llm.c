/*
 * llm.c - the chat-completions client (see llm.h).
 */
#include "agent/llm.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"

void rg_llm_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void rg_llm_global_cleanup(void)
{
	curl_global_cleanup();
}

typedef struct reply {
	rg_buf body;
	long retry_after_s;
} reply;

static size_t on_body(char *p, size_t size, size_t n, void *userdata)
{
	reply *r = userdata;
	return rg_buf_append(&r->body, p, size * n) ? 0 : size * n; /* 0 aborts: too big */
}

static size_t on_header(char *p, size_t size, size_t n, void *userdata)
{
	reply *r = userdata;
	size_t len = size * n;
	if (len > 12 && !strncasecmp(p, "retry-after:", 12)) {
		long v = strtol(p + 12, NULL, 10);
		r->retry_after_s = v > 0 && v <= 30 ? v : 0;
	}
	return len;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* The endpoint's own error message, if the body is {"error": {"message": ...}}. */
static void error_message(const reply *r, char *out, size_t cap)
{
	out[0] = 0;
	rg_json *doc = r->body.len ? rg_json_parse(r->body.data, r->body.len, NULL) : NULL;
	const rg_json *e = rg_json_get(doc, "error");
	const char *m = rg_json_str_val(rg_json_get(e, "message"));
	if (!m)
		m = rg_json_str_val(e);
	if (!m)
		m = rg_json_str_val(rg_json_get(doc, "detail"));
	if (m)
		snprintf(out, cap, ": %.200s", m);
	rg_json_free(doc);
}

/* Parse a completion: content of choices[0].message, and usage. */
static int parse_completion(const reply *r, char **text, rg_llm_usage *usage, rg_err *err)
{
	rg_err jerr;
	rg_err_clear(&jerr);
	rg_json *doc = rg_json_parse(r->body.data ? r->body.data : "", r->body.len, &jerr);
	const rg_json *choice = rg_json_at(rg_json_get(doc, "choices"), 0);
	const rg_json *content = rg_json_get(rg_json_get(choice, "message"), "content");
	int rc = RG_OK;
	if (!doc)
		rc = rg_err_set(err, RG_EINVAL, "llm", NULL, "the endpoint's reply is not JSON: %s",
				jerr.msg);
	else if (!rg_json_is_str(content) && !rg_json_is_null(content))
		rc = rg_err_set(err, RG_EINVAL, "llm", NULL,
				"the endpoint's reply has no choices[0].message.content");
	if (!rc) {
		const char *s = rg_json_is_str(content) ? rg_json_str_val(content) : "";
		size_t n = rg_json_is_str(content) ? rg_json_str_len(content) : 0;
		*text = rg_malloc(n + 1);
		if (!*text) {
			rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
		} else {
			memcpy(*text, s, n);
			(*text)[n] = 0;
		}
		const rg_json *u = rg_json_get(doc, "usage");
		usage->prompt_tokens += rg_json_int_val(rg_json_get(u, "prompt_tokens"));
		usage->completion_tokens += rg_json_int_val(rg_json_get(u, "completion_tokens"));
	}
	rg_json_free(doc);
	return rc;
}

static char *request_body(const rg_llm_config *cfg, const rg_json *messages, size_t *len)
{
	rg_json *o = rg_json_obj();
	if (!o || rg_json_set_str(o, "model", cfg->model) ||
	    rg_json_set(o, "messages", rg_json_deep_copy(messages)) ||
	    rg_json_set_real(o, "temperature", cfg->temperature) ||
	    (cfg->max_tokens > 0 && rg_json_set_int(o, "max_tokens", cfg->max_tokens))) {
		rg_json_free(o);
		return NULL;
	}
	char *s = rg_json_dump(o, len);
	rg_json_free(o);
	return s;
}

int rg_llm_chat(const rg_llm_config *cfg, const rg_json *messages, char **text,
		rg_llm_usage *usage, rg_err *err)
{
	*text = NULL;
	char url[2048];
	size_t bl = strlen(cfg->base_url);
	while (bl && cfg->base_url[bl - 1] == '/')
		bl--;
	snprintf(url, sizeof url, "%.*s/chat/completions", (int)bl, cfg->base_url);
	size_t body_len = 0;
	char *body = request_body(cfg, messages, &body_len);
	if (!body)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	char auth[1024];
	if (cfg->api_key && *cfg->api_key) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", cfg->api_key);
		headers = curl_slist_append(headers, auth);
	}
	reply r;
	rg_buf_init(&r.body, RG_LLM_MAX_REPLY);
	int rc = RG_EIO;
	char why[300] = "";
	for (int attempt = 0; attempt <= cfg->retries; attempt++) {
		CURL *h = curl_easy_init();
		if (!h) {
			rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory (curl)");
			break;
		}
		rg_buf_reset(&r.body);
		r.retry_after_s = 0;
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)body_len);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)cfg->timeout_s);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS */
		curl_easy_setopt(h, CURLOPT_USERAGENT, "reviewgym-runner");
		CURLcode cc = curl_easy_perform(h);
		long status = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(h);
		usage->calls++;
		bool transient;
		if (cc != CURLE_OK) {
			snprintf(why, sizeof why, "%s", curl_easy_strerror(cc));
			transient = cc != CURLE_WRITE_ERROR && cc != CURLE_URL_MALFORMAT &&
				    cc != CURLE_UNSUPPORTED_PROTOCOL;
		} else if (status == 200) {
			rc = parse_completion(&r, text, usage, err);
			break;
		} else {
			char msg[240];
			error_message(&r, msg, sizeof msg);
			snprintf(why, sizeof why, "HTTP %ld%s", status, msg);
			transient = status == 429 || status >= 500;
		}
		if (!transient || attempt == cfg->retries) {
			usage->failures++;
			rc = rg_err_set(err, RG_EIO, "llm", NULL, "%s from %s after %d attempt%s", why, url,
					attempt + 1, attempt ? "s" : "");
			break;
		}
		usage->retries++;
		double wait = 0.5 * (double)(1 << (attempt < 4 ? attempt : 4));
		if (r.retry_after_s)
			wait = (double)r.retry_after_s;
		sleep_s(wait > 30 ? 30 : wait);
	}
	curl_slist_free_all(headers);
	memset(auth, 0, sizeof auth);
	rg_buf_free(&r.body);
	rg_free(body);
	return rc;
}
