/*
 * ws.c - the WebSocket side: /ws sessions speaking OpenEnv's message protocol
 * (protocol §5): reset/step/state/close/mcp in, observation/state/error/mcp out.
 *
 * Design: one session per connection, opened after the handshake; at capacity the
 * handshake still completes and the only frame sent is CAPACITY_REACHED, then a
 * normal close (protocol §5.1: refusing at HTTP level would be unrecognisable to
 * the client). Messages are reassembled up to the size limit; an oversized one is
 * drained and answered with an error, and the session lives on. Every request
 * gets exactly one reply, in order, except close. Replies are queued and written
 * one per WRITEABLE; while a reply is queued, rx flow control pauses reading, so
 * a client pipelining requests costs at most one queued reply of memory.
 * Pings are answered by lws itself; since no request blocks the loop, a pong is
 * never held up by a step.
 */
#include "server/server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "server/wire.h"
#include "core/alloc.h"

/* Append a copy of text to c's reply queue; false when out of memory. */
static bool append_reply(rg_conn *c, const char *text, size_t len)
{
	rg_reply *r = rg_malloc(sizeof *r + LWS_PRE + len);
	if (!r)
		return false;
	r->next = NULL;
	r->len = len;
	memcpy(r->data + LWS_PRE, text, len);
	if (c->q_tail)
		c->q_tail->next = r;
	else
		c->q_head = r;
	c->q_tail = r;
	c->q_n++;
	return true;
}

static void queue(struct lws *wsi, rg_conn *c, char *text, size_t len)
{
	if (!text) { /* out of memory: the client learns through a close */
		c->close_pending = true;
		c->close_status = LWS_CLOSE_STATUS_UNEXPECTED_CONDITION;
		c->close_reason = "server out of memory";
		lws_callback_on_writable(wsi);
		return;
	}
	bool ok = append_reply(c, text, len);
	rg_free(text);
	if (!ok) {
		queue(wsi, c, NULL, 0);
		return;
	}
	if (c->q_n >= RG_MAX_WS_QUEUED_REPLIES) {
		c->close_pending = true; /* the client is not reading its replies */
		c->close_status = LWS_CLOSE_STATUS_POLICY_VIOLATION;
		c->close_reason = "too many unread replies";
	}
	lws_rx_flow_control(wsi, 0);
	lws_callback_on_writable(wsi);
}

/* Every error frame goes out through these two, which count it by its code. */
static void queue_error(struct lws *wsi, rg_conn *c, const char *code, const char *msg,
			rg_json *extra /* taken, or NULL */)
{
	rg_stats_ws_error(&rg__server_of(wsi)->stats, code);
	size_t len = 0;
	char *t = rg_wire_ws_error(code, msg, extra, &len);
	queue(wsi, c, t, len);
}

static void queue_err(struct lws *wsi, rg_conn *c, const rg_err *err)
{
	rg_stats_ws_error(&rg__server_of(wsi)->stats, rg_wire_ws_code(err->code));
	size_t len = 0;
	char *t = rg_wire_ws_error_from(err, &len);
	queue(wsi, c, t, len);
}

/* ------------------------------------------------------------------------ */
/* Messages                                                                 */
/* ------------------------------------------------------------------------ */

static void do_reset(struct lws *wsi, rg_conn *c, const rg_json *data)
{
	rg_server *s = rg__server_of(wsi);
	rg_err err;
	rg_err_clear(&err);
	rg_reset_params p;
	bool id_given;
	if (rg__server_reset_params(s, data, &p, &id_given, &err)) {
		queue_err(wsi, c, &err);
		return;
	}
	rg_env_result r = { 0 };
	if (rg_session_reset(c->session, &s->world, &p, rg__server_now_ms(), &r, &err)) {
		queue_err(wsi, c, &err);
		return;
	}
	rg_json *env = rg_wire_envelope_obj(&r);
	size_t len = 0;
	char *t = env ? rg_wire_ws_frame("observation", rg_json_ref(env), &len) : NULL;
	if (t)
		rg__record_reset(s, c->session, data, c->msg.data, c->msg.len, env, t, len);
	rg_json_free(env);
	queue(wsi, c, t, len);
}

static void do_step(struct lws *wsi, rg_conn *c, const rg_json *data)
{
	rg_server *s = rg__server_of(wsi);
	rg_err err;
	rg_err_clear(&err);
	rg_env_result r = { 0 };
	s->steps++;
	uint64_t t0 = rg__server_now_us();
	if (rg_session_step(c->session, data, rg__server_now_ms(), &r, &err)) {
		rg__record_step(s, c->session, c->msg.data, c->msg.len, NULL, NULL, 0, &err, t0);
		queue_err(wsi, c, &err);
		return;
	}
	rg_json *env = rg_wire_envelope_obj(&r);
	size_t len = 0;
	char *t = env ? rg_wire_ws_frame("observation", rg_json_ref(env), &len) : NULL;
	rg__record_step(s, c->session, c->msg.data, c->msg.len, env, t, len, NULL, t0);
	rg_json_free(env);
	queue(wsi, c, t, len);
}

static void do_state(struct lws *wsi, rg_conn *c)
{
	size_t len = 0;
	char *t = rg_wire_ws_frame("state", rg_session_state(c->session), &len);
	queue(wsi, c, t, len);
}

static void do_mcp(struct lws *wsi, rg_conn *c, const rg_json *data)
{
	size_t n = 0, len = 0;
	char *req = rg_json_dump(data, &n);
	char *resp = req ? rg__mcp_handle(req, n, &len) : NULL;
	rg_free(req);
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = resp ? rg_json_parse(resp, len, &err) : NULL;
	rg_free(resp);
	char *t = rg_wire_ws_frame("mcp", v, &len);
	queue(wsi, c, t, len);
}

static void envelope_error(struct lws *wsi, rg_conn *c, const char *field, const char *kind,
			   const char *msg)
{
	rg_err err;
	rg_err_clear(&err);
	rg_err_set(&err, RG_EINVAL, field, kind, "%s", msg);
	queue_err(wsi, c, &err);
}

static void on_message(struct lws *wsi, rg_conn *c, const char *text, size_t len)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *m = rg_json_parse(text, len, &err);
	if (!m) {
		char msg[RG_ERR_MSG_BYTES + 16];
		snprintf(msg, sizeof msg, "Invalid JSON: %s", err.msg);
		queue_error(wsi, c, "INVALID_JSON", msg, NULL);
		return;
	}
	const rg_json *type = rg_json_get(m, "type");
	const char *t = rg_json_is_str(type) ? rg_json_str_val(type) : NULL;
	static const char *const types[] = { "reset", "step", "state", "close", "mcp" };
	int k = -1;
	for (int i = 0; t && i < 5; i++)
		if (!strcmp(t, types[i]))
			k = i;
	if (k < 0) {
		char msg[128];
		snprintf(msg, sizeof msg, "Unknown message type: %.64s",
			 !rg_json_is_obj(m) ? "(message is not a JSON object)" : t ? t : "None");
		queue_error(wsi, c, "UNKNOWN_TYPE", msg, NULL);
		rg_json_free(m);
		return;
	}
	/* Envelopes forbid extra keys (protocol §5.2). */
	for (void *it = rg_json_iter(m); it; it = rg_json_iter_next(m, it)) {
		const char *key = rg_json_iter_key(it);
		if (strcmp(key, "type") && strcmp(key, "data")) {
			envelope_error(wsi, c, key, "extra_forbidden", "Extra inputs are not permitted");
			rg_json_free(m);
			return;
		}
	}
	const rg_json *data = rg_json_get(m, "data");
	switch (k) {
	case 0:
		if (data && !rg_json_is_obj(data) && !rg_json_is_null(data))
			envelope_error(wsi, c, "data", "dict_type", "expected an object of reset parameters");
		else
			do_reset(wsi, c, data);
		break;
	case 1:
		if (!data)
			envelope_error(wsi, c, "data", "missing", "Field required");
		else if (!rg_json_is_obj(data) && !rg_json_is_str(data))
			envelope_error(wsi, c, "data", "dict_type",
				       "expected the action object (or model text as a string)");
		else
			do_step(wsi, c, data);
		break;
	case 2:
		do_state(wsi, c);
		break;
	case 3: /* close: no reply, just a clean close */
		c->close_pending = true;
		c->close_status = LWS_CLOSE_STATUS_NORMAL;
		c->close_reason = NULL;
		lws_callback_on_writable(wsi);
		break;
	case 4:
		if (!rg_json_is_obj(data))
			envelope_error(wsi, c, "data", "dict_type", "expected a JSON-RPC request object");
		else
			do_mcp(wsi, c, data);
		break;
	}
	rg_json_free(m);
}

/* ------------------------------------------------------------------------ */
/* Lifecycle                                                                */
/* ------------------------------------------------------------------------ */

static void on_established(struct lws *wsi, rg_conn *c)
{
	rg_server *s = rg__server_of(wsi);
	memset(c, 0, sizeof *c);
	c->is_ws = true;
	rg_buf_init(&c->msg, s->cfg->max_message_bytes);
	rg_err err;
	rg_err_clear(&err);
	c->session = rg_sessions_open(&s->sessions, RG_SESSION_WS, c, rg__server_now_ms(), &err);
	if (c->session)
		return;
	rg_json *extra = rg_json_obj();
	if (extra && err.code == RG_ECAPACITY &&
	    (rg_json_set_int(extra, "active_sessions", (long long)s->sessions.count) ||
	     rg_json_set_int(extra, "max_sessions", (long long)s->sessions.max))) {
		rg_json_free(extra);
		extra = NULL;
	}
	queue_error(wsi, c, err.code == RG_ECAPACITY ? "CAPACITY_REACHED" : "FACTORY_ERROR",
		    err.msg, extra);
	c->close_pending = true;
	c->close_status = LWS_CLOSE_STATUS_NORMAL;
	c->close_reason = NULL;
}

/* ------------------------------------------------------------------------ */
/* /api/feed                                                                */
/* ------------------------------------------------------------------------ */

/* A feed subscriber receives; it never sends requests. Its queue is bounded by
 * RG_MAX_FEED_QUEUED: a subscriber that does not read loses frames (counted),
 * it never holds the loop or anyone's session up. */
static void feed_join(rg_server *s, rg_conn *c)
{
	c->is_feed = true;
	c->feed_prev = NULL;
	c->feed_next = s->feed;
	if (s->feed)
		s->feed->feed_prev = c;
	s->feed = c;
	s->n_feed++;
	if (s->n_feed > RG_MAX_FEED_SUBSCRIBERS) {
		c->close_pending = true;
		c->close_status = LWS_CLOSE_STATUS_POLICY_VIOLATION;
		c->close_reason = "too many feed subscribers";
		lws_callback_on_writable(c->wsi);
	}
}

static void feed_leave(rg_server *s, rg_conn *c)
{
	if (!c->is_feed)
		return;
	if (c->feed_prev)
		c->feed_prev->feed_next = c->feed_next;
	else
		s->feed = c->feed_next;
	if (c->feed_next)
		c->feed_next->feed_prev = c->feed_prev;
	c->is_feed = false;
	s->n_feed--;
}

void rg__feed_publish(rg_server *s, const char *text, size_t len)
{
	for (rg_conn *c = s->feed; c; c = c->feed_next) {
		if (c->close_pending || c->q_n >= RG_MAX_FEED_QUEUED || !append_reply(c, text, len)) {
			s->stats.feed_dropped++;
			continue;
		}
		lws_callback_on_writable(c->wsi);
	}
}

static void ws_release(rg_server *s, rg_conn *c)
{
	feed_leave(s, c);
	if (c->session) {
		rg_sessions_close(&s->sessions, c->session);
		c->session = NULL;
	}
	rg_buf_free(&c->msg);
	while (c->q_head) {
		rg_reply *r = c->q_head;
		c->q_head = r->next;
		rg_free(r);
	}
	c->q_tail = NULL;
	c->q_n = 0;
}

void rg__ws_idle(void *owner)
{
	rg_conn *c = owner;
	c->close_pending = true;
	c->close_status = LWS_CLOSE_STATUS_GOINGAWAY;
	c->close_reason = "session idle timeout";
	lws_callback_on_writable(c->wsi);
}

static int on_writeable(struct lws *wsi, rg_conn *c)
{
	if (c->q_head) {
		rg_reply *r = c->q_head;
		c->q_head = r->next;
		if (!c->q_head)
			c->q_tail = NULL;
		c->q_n--;
		int n = lws_write(wsi, r->data + LWS_PRE, r->len, LWS_WRITE_TEXT);
		rg_free(r);
		if (n < 0)
			return -1;
		if (c->q_head || c->close_pending) {
			lws_callback_on_writable(wsi);
			return 0;
		}
		lws_rx_flow_control(wsi, 1);
		return 0;
	}
	if (c->close_pending) {
		const char *why = c->close_reason ? c->close_reason : "";
		lws_close_reason(wsi, (enum lws_close_status)c->close_status,
				 (unsigned char *)why, strlen(why));
		return -1;
	}
	return 0;
}

int rg__ws_callback(struct lws *wsi, enum lws_callback_reasons reason, rg_conn *c, void *in,
		    size_t len)
{
	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: {
		char uri[16];
		if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) < 0 ||
		    (strcmp(uri, "/ws") && strcmp(uri, "/api/feed")))
			return 1; /* only /ws and /api/feed upgrade */
		return 0;
	}
	case LWS_CALLBACK_ESTABLISHED: {
		char uri[16];
		bool feed = lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) > 0 &&
			    !strcmp(uri, "/api/feed");
		if (feed) {
			memset(c, 0, sizeof *c);
			c->is_ws = true;
			c->wsi = wsi;
			feed_join(rg__server_of(wsi), c);
			return 0;
		}
		on_established(wsi, c);
		c->wsi = wsi;
		if (c->close_pending)
			lws_callback_on_writable(wsi);
		return 0;
	}
	case LWS_CALLBACK_RECEIVE: {
		if (!c->session || c->close_pending)
			return 0; /* refused or closing: ignore further input */
		if (!c->msg_too_big && rg_buf_append(&c->msg, in, len)) {
			c->msg_too_big = true;
			rg_buf_reset(&c->msg);
		}
		if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
			return 0;
		if (c->msg_too_big) {
			char msg[128];
			snprintf(msg, sizeof msg,
				 "Message too large: the limit is %zu bytes; the message was discarded",
				 c->msg.max);
			queue_error(wsi, c, "MESSAGE_TOO_LARGE", msg, NULL);
		} else {
			on_message(wsi, c, c->msg.data ? c->msg.data : "", c->msg.len);
		}
		c->msg_too_big = false;
		rg_buf_reset(&c->msg);
		return 0;
	}
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return on_writeable(wsi, c);
	case LWS_CALLBACK_CLOSED:
		ws_release(rg__server_of(wsi), c);
		return 0;
	default:
		return 0;
	}
}
