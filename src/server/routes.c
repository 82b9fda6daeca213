/*
 * routes.c - the HTTP routes: what each path answers (protocol §3, SPEC.md §2).
 *
 * Design: a table maps path to the handler per method, so 404 versus 405 (with
 * an Allow header, as FastAPI sends) falls out of one lookup. Handlers get the
 * whole body and produce a status plus a JSON body; http.c does the transport.
 * Static documents (/schema, /openapi.json, /metadata) are built once at start.
 *
 * HTTP sessions (SPEC.md §2): /reset returns the episode_id inside observation;
 * /step and /state carrying it (body field for /step, ?episode_id= for /state)
 * continue that episode; without it they act on the default HTTP session. The
 * envelope never carries extra top-level keys, because OpenEnv's response models
 * forbid them.
 */
#include "server/server_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "server/wire.h"
#include "server/web.h"
#include "core/alloc.h"

/* Copy len bytes into the connection's response buffer (with the LWS_PRE
 * headroom lws_write needs). A NULL body means the reply could not be built
 * (out of memory): answer as FastAPI does for an unhandled exception. */
static void respond_bytes(rg_conn *c, int status, const char *body, size_t len)
{
	static const char ise[] = "Internal Server Error";
	rg_free(c->resp);
	c->status = status;
	if (!body) {
		c->status = 500;
		c->content_type = "text/plain";
		body = ise;
		len = sizeof ise - 1;
	}
	c->resp = rg_malloc(LWS_PRE + len + 1);
	if (c->resp)
		memcpy(c->resp + LWS_PRE, body, len);
	c->resp_len = c->resp ? len : 0;
}

/* Same, taking a malloc'd body (NULL allowed, see respond_bytes). */
void rg__respond(rg_conn *c, int status, char *body, size_t len)
{
	respond_bytes(c, status, body, len);
	rg_free(body);
}

static void respond_static(rg_conn *c, const char *body, size_t len)
{
	respond_bytes(c, 200, body, len);
}

static void respond_detail(rg_conn *c, int status, const char *msg)
{
	size_t len = 0;
	char *b = rg_wire_detail(msg, &len);
	rg__respond(c, status, b, len);
}

void rg__respond_err(rg_conn *c, const rg_err *err, const char *const *prefix, size_t np)
{
	int status;
	size_t len = 0;
	char *b = rg_wire_http_error(err, prefix, np, &status, &len);
	rg__respond(c, status, b, len);
}

void rg__respond_json(rg_conn *c, int status, rg_json *v)
{
	size_t len = 0;
	char *out = v ? rg_json_dump(v, &len) : NULL;
	rg_json_free(v);
	rg__respond(c, status, out, len);
}

/* Parse a request body; an empty body means {} (protocol §3.5). */
rg_json *rg__body_json(rg_conn *c, const char *body, size_t len)
{
	size_t i = 0;
	while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
		i++;
	if (i == len)
		return rg_json_obj();
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(body, len, &err);
	if (!v) {
		static const char *const pre[] = { "body" };
		err.field[0] = '\0';
		rg__respond_err(c, &err, pre, 1);
	}
	return v;
}

/* ------------------------------------------------------------------------ */
/* Handlers                                                                 */
/* ------------------------------------------------------------------------ */

static void h_health(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)s, (void)b, (void)n;
	respond_static(c, "{\"status\":\"healthy\"}", 20);
}

static void h_metadata(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	respond_static(c, s->body_metadata, s->len_metadata);
}

static void h_schema(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	if (!c->query_family[0] || !strcmp(c->query_family, rg_env_default_family()->family)) {
		respond_static(c, s->body_schema, s->len_schema);
	} else if (!strcmp(c->query_family, "pr_review")) {
		respond_static(c, s->body_schema_pr, s->len_schema_pr);
	} else {
		static const char *const pre[] = { "query" };
		rg_err err;
		rg_err_clear(&err);
		rg_err_set(&err, RG_EINVAL, "family", "enum",
			   "unknown family; expected code_review or pr_review");
		rg__respond_err(c, &err, pre, 1);
	}
}

static void h_openapi(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	respond_static(c, s->body_openapi, s->len_openapi);
}

static void h_index(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)s, (void)b, (void)n;
	static const char idx[] =
		"{\"name\":\"reviewgym\",\"protocol\":\"OpenEnv\",\"websocket\":\"/ws\","
		"\"routes\":[\"/health\",\"/metadata\",\"/schema\",\"/openapi.json\",\"/reset\","
		"\"/step\",\"/state\",\"/mcp\"]}";
	respond_static(c, idx, sizeof idx - 1);
}

static void h_mcp(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)s;
	size_t len = 0;
	char *out = rg__mcp_handle(b, n, &len);
	rg__respond(c, 200, out, len);
}

/* The reply envelope of r as a tree (for the record) and as text (for the wire). */
static char *envelope_text(rg_env_result *r, rg_json **env, size_t *len)
{
	*env = rg_wire_envelope_obj(r);
	return *env ? rg_json_dump(*env, len) : NULL;
}

static void h_reset(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	static const char *const pre[] = { "body" };
	rg_json *req = rg__body_json(c, b, n);
	if (!req)
		return;
	rg_err err;
	rg_err_clear(&err);
	rg_reset_params p;
	bool id_given;
	if (rg_json_is_obj(req) && !rg_json_get(req, "episode_id") && c->query_episode[0] &&
	    rg_json_set_str(req, "episode_id", c->query_episode)) {
		rg__respond(c, 500, NULL, 0);
		rg_json_free(req);
		return;
	}
	int rc = rg__server_reset_params(s, req, &p, &id_given, &err);
	if (rc) {
		rg__respond_err(c, &err, pre, 1);
		rg_json_free(req);
		return;
	}
	uint64_t now = rg__server_now_ms();
	bool fresh = false;
	rg_session *ses = !id_given ? s->sessions.http_default
				 : rg_sessions_find_http(&s->sessions, p.episode_id);
	if (!ses) {
		ses = rg_sessions_open(&s->sessions, RG_SESSION_HTTP, NULL, now, &err);
		if (!ses) {
			rg__respond_err(c, &err, NULL, 0);
			rg_json_free(req);
			return;
		}
		fresh = true;
	}
	rg_env_result r = { 0 };
	if (rg_session_reset(ses, &s->world, &p, now, &r, &err)) {
		if (fresh)
			rg_sessions_close(&s->sessions, ses);
		rg__respond_err(c, &err, pre, 1);
		rg_json_free(req);
		return;
	}
	if (!id_given)
		s->sessions.http_default = ses; /* id-less /step and /state act on it */
	rg_json *env = NULL;
	size_t len = 0;
	char *text = envelope_text(&r, &env, &len);
	if (text)
		rg__record_reset(s, ses, req, b, n, env, text, len);
	rg_json_free(env);
	rg_json_free(req);
	rg__respond(c, 200, text, len);
}

static rg_session *http_session(rg_server *s, rg_conn *c, const char *episode_id)
{
	rg_session *ses = episode_id && episode_id[0]
				  ? rg_sessions_find_http(&s->sessions, episode_id)
				  : s->sessions.http_default;
	if (!ses) {
		char msg[RG_MAX_EPISODE_ID_LEN + 160];
		if (episode_id && episode_id[0])
			snprintf(msg, sizeof msg,
				 "Unknown episode_id \"%s\": no such HTTP episode (never reset, or reaped after the idle timeout); call /reset",
				 episode_id);
		else
			snprintf(msg, sizeof msg, "No active episode: call /reset first");
		respond_detail(c, episode_id && episode_id[0] ? 404 : 409, msg);
	}
	return ses;
}

static void h_step(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	static const char *const pre_body[] = { "body" };
	rg_json *req = rg__body_json(c, b, n);
	if (!req)
		return;
	rg_err err;
	rg_err_clear(&err);
	const rg_json *action = rg_json_get(req, "action");
	const rg_json *eid = rg_json_get(req, "episode_id");
	if (!rg_json_is_obj(req)) {
		rg_err_set(&err, RG_EINVAL, NULL, "model_attributes_type",
			   "expected an object {\"action\": {...}}, got %s", rg_json_type_name(req));
		rg__respond_err(c, &err, pre_body, 1);
	} else if (!action) {
		rg_err_set(&err, RG_EINVAL, "action", "missing", "Field required");
		rg__respond_err(c, &err, pre_body, 1);
	} else if (!rg_json_is_obj(action) && !rg_json_is_str(action)) {
		rg_err_set(&err, RG_EINVAL, "action", "dict_type",
			   "expected an object (or model text as a string), got %s",
			   rg_json_type_name(action));
		rg__respond_err(c, &err, pre_body, 1);
	} else if (eid && !rg_json_is_null(eid) && !rg_json_is_str(eid)) {
		rg_err_set(&err, RG_EINVAL, "episode_id", "string_type", "expected a string");
		rg__respond_err(c, &err, pre_body, 1);
	} else {
		/* the id may also come as ?episode_id= or X-Episode-Id (proxies hash on it) */
		rg_session *ses = http_session(s, c, rg_json_is_str(eid) ? rg_json_str_val(eid)
						     : c->query_episode[0] ? c->query_episode : NULL);
		rg_env_result r = { 0 };
		if (ses) {
			s->steps++;
			uint64_t t0 = rg__server_now_us();
			/* Action errors carry loc relative to the action, as pydantic's do
			 * when the reference validates the action class (protocol §3.6). */
			if (rg_session_step(ses, action, rg__server_now_ms(), &r, &err)) {
				rg__record_step(s, ses, b, n, NULL, NULL, 0, &err, t0);
				rg__respond_err(c, &err, NULL, 0);
			} else {
				rg_json *env = NULL;
				size_t len = 0;
				char *text = envelope_text(&r, &env, &len);
				rg__record_step(s, ses, b, n, env, text, len, NULL, t0);
				rg_json_free(env);
				rg__respond(c, 200, text, len);
			}
		}
	}
	rg_json_free(req);
}

static void h_state(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	rg_session *ses = c->query_episode[0]
				  ? rg_sessions_find_http(&s->sessions, c->query_episode)
				  : s->sessions.http_default;
	if (!ses && c->query_episode[0]) {
		http_session(s, c, c->query_episode); /* answers 404 */
		return;
	}
	rg_json *st = NULL;
	if (ses) {
		st = rg_session_state(ses);
	} else { /* nothing reset yet: the base State, as a fresh env reports */
		st = rg_json_obj();
		if (st && (rg_json_set_null(st, "episode_id") || rg_json_set_int(st, "step_count", 0))) {
			rg_json_free(st);
			st = NULL;
		}
	}
	size_t len = 0;
	char *out = st ? rg_json_dump(st, &len) : NULL;
	rg_json_free(st);
	rg__respond(c, 200, out, len);
}

/* ------------------------------------------------------------------------ */
/* Routing                                                                  */
/* ------------------------------------------------------------------------ */

typedef void (*handler_fn)(rg_server *, rg_conn *, const char *, size_t);

static const struct route {
	const char *path;
	handler_fn get, post;
	const char *allow;
} routes[] = {
	{ "/", h_index, NULL, "GET" },
	{ "/health", h_health, NULL, "GET" },
	{ "/metadata", h_metadata, NULL, "GET" },
	{ "/schema", h_schema, NULL, "GET" },
	{ "/openapi.json", h_openapi, NULL, "GET" },
	{ "/state", h_state, NULL, "GET" },
	{ "/reset", NULL, h_reset, "POST" },
	{ "/step", NULL, h_step, "POST" },
	{ "/mcp", NULL, h_mcp, "POST" },
	{ "/tasks", rg__h_tasks, NULL, "GET" },
	{ "/diff", NULL, rg__h_diff, "POST" },
	{ "/config/custom", NULL, rg__h_custom, "POST" },
	{ "/api/config", rg__h_api_config, NULL, "GET" },
	{ "/api/stats", rg__h_api_stats, NULL, "GET" },
	{ "/api/episodes", rg__h_api_episodes, NULL, "GET" },
	{ "/api/tasks/means", rg__h_api_means, NULL, "GET" },
	{ "/api/export", rg__h_api_export, NULL, "GET" },
	{ "/api/custom/review", NULL, rg__h_custom_review, "POST" },
	{ "/metrics", rg__h_metrics, NULL, "GET" },
};

/* The dashboard: /web redirects to /web/ (so its relative URLs resolve), /web/
 * is index.html, /web/<name> a file of the table web.c loaded. */
static void h_web(rg_server *s, rg_conn *c, const char *rest)
{
	if (!s->web) {
		respond_detail(c, 404, "the dashboard is not installed on this server (start it with --web-dir DIR)");
		return;
	}
	if (!rest) {
		c->location = "web/";
		respond_bytes(c, 302, "", 0);
		return;
	}
	size_t len = 0;
	const char *type = NULL;
	const char *data = rg_web_find(s->web, rest[0] ? rest : "index.html", &len, &type);
	if (!data) {
		respond_detail(c, 404, "Not Found");
		return;
	}
	c->content_type = type;
	respond_bytes(c, 200, data, len);
}

/* Routes with a variable part: /web..., /api/episodes/{id}. True when handled. */
static bool route_prefixed(rg_server *s, rg_conn *c)
{
	bool web = !strcmp(c->uri, "/web") || !strncmp(c->uri, "/web/", 5);
	bool episode = !strncmp(c->uri, "/api/episodes/", 14);
	if (!web && !episode)
		return false;
	if (c->method != M_GET) {
		c->allow = "GET";
		respond_detail(c, 405, "Method Not Allowed");
	} else if (web) {
		h_web(s, c, c->uri[4] ? c->uri + 5 : NULL);
	} else {
		rg__h_api_episode(s, c, c->uri + 14);
	}
	return true;
}

void rg__route(rg_server *s, rg_conn *c, const char *body, size_t len)
{
	s->requests++;
	c->content_type = "application/json";
	c->allow = NULL;
	if (c->body_too_big) {
		char msg[128];
		snprintf(msg, sizeof msg, "Request body too large: the limit is %zu bytes",
			 s->cfg->max_message_bytes);
		respond_detail(c, 413, msg);
		return;
	}
	if (route_prefixed(s, c))
		return;
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
		const struct route *r = &routes[i];
		if (strcmp(r->path, c->uri))
			continue;
		handler_fn h = c->method == M_GET ? r->get : c->method == M_POST ? r->post : NULL;
		if (!h) {
			c->allow = r->allow;
			respond_detail(c, 405, "Method Not Allowed");
			return;
		}
		h(s, c, body, len);
		return;
	}
	respond_detail(c, 404, "Not Found");
}
