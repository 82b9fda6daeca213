/*
 * registry.c - GET /tasks through libcurl (see registry.h).
 */
#include "agent/registry.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"

#define REGISTRY_MAX_BYTES (16u * 1024 * 1024)

static size_t on_body(char *p, size_t size, size_t n, void *userdata)
{
	return rg_buf_append(userdata, p, size * n) ? 0 : size * n;
}

void rg_registry_free(char **ids, size_t n)
{
	for (size_t i = 0; ids && i < n; i++)
		rg_free(ids[i]);
	rg_free(ids);
}

/* http(s)://host:port/tasks from the runner's URL (ws:// and wss:// map over). */
static void tasks_url(const char *url, char *out, size_t cap)
{
	const char *rest = url;
	const char *scheme = "http";
	if (!strncmp(url, "ws://", 5) || !strncmp(url, "http://", 7)) {
		rest = strstr(url, "://") + 3;
	} else if (!strncmp(url, "wss://", 6) || !strncmp(url, "https://", 8)) {
		rest = strstr(url, "://") + 3;
		scheme = "https";
	}
	size_t n = strcspn(rest, "/");
	snprintf(out, cap, "%s://%.*s/tasks", scheme, (int)n, rest);
}

int rg_registry_fetch(const char *url, const char *family, int with_eval, char ***ids, size_t *n,
		      rg_err *err)
{
	*ids = NULL;
	*n = 0;
	char u[1200];
	tasks_url(url, u, sizeof u);
	rg_buf body;
	rg_buf_init(&body, REGISTRY_MAX_BYTES);
	CURL *h = curl_easy_init();
	if (!h)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory (curl)");
	curl_easy_setopt(h, CURLOPT_URL, u);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	CURLcode cc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	int rc = RG_OK;
	rg_json *doc = NULL;
	if (cc != CURLE_OK || status != 200) {
		rc = rg_err_set(err, RG_EIO, "url", NULL, "GET %s: %s", u,
				cc != CURLE_OK ? curl_easy_strerror(cc) : "unexpected HTTP status");
		goto out;
	}
	doc = rg_json_parse(body.data ? body.data : "", body.len, NULL);
	const rg_json *tasks = rg_json_get(doc, "tasks");
	size_t total = rg_json_size(tasks);
	*ids = rg_calloc(total ? total : 1, sizeof **ids);
	if (!*ids) {
		rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < total; i++) {
		const rg_json *t = rg_json_at(tasks, i);
		const char *id = rg_json_str_val(rg_json_get(t, "id"));
		const char *fam = rg_json_str_val(rg_json_get(t, "family"));
		const char *split = rg_json_str_val(rg_json_get(t, "split"));
		if (!id || !fam || strcmp(fam, family) || !split || !strcmp(split, "custom") ||
		    (!with_eval && !strcmp(split, "eval")))
			continue;
		if (!((*ids)[(*n)++] = rg_strdup(id))) {
			rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
			goto out;
		}
	}
	if (*n == 0)
		rc = rg_err_set(err, RG_EINVAL, "family", NULL, "the server lists no %s task", family);
out:
	if (rc) {
		rg_registry_free(*ids, *n);
		*ids = NULL;
		*n = 0;
	}
	rg_json_free(doc);
	rg_buf_free(&body);
	return rc;
}
