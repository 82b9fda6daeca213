/*
 * http.c - the HTTP side of the lws callback: request start, body accumulation
 * under the size limit, routing, and writing the response from WRITEABLE.
 *
 * Design (the lws flow from shared/examples): LWS_CALLBACK_HTTP sees the method
 * and path; a POST with a body waits for HTTP_BODY chunks (appended to a bounded
 * rg_buf) and HTTP_BODY_COMPLETION; a request without a body is routed at once.
 * Headers go out with lws_finalize_write_http_header, the body from
 * HTTP_WRITEABLE in one lws_write (lws buffers any partial send itself), then
 * lws_http_transaction_completed keeps the connection alive for the next request.
 * A body over the limit is drained without being stored and answered 413; the
 * connection stays usable.
 */
#include "server/server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/alloc.h"
#include "server/jobs.h"

static rg_method method_of(struct lws *wsi)
{
	static const struct { enum lws_token_indexes tok; rg_method m; } map[] = {
		{ WSI_TOKEN_GET_URI, M_GET },	  { WSI_TOKEN_POST_URI, M_POST },
		{ WSI_TOKEN_PUT_URI, M_PUT },	  { WSI_TOKEN_PATCH_URI, M_PATCH },
		{ WSI_TOKEN_DELETE_URI, M_DELETE }, { WSI_TOKEN_OPTIONS_URI, M_OPTIONS },
		{ WSI_TOKEN_HEAD_URI, M_HEAD },
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (lws_hdr_total_length(wsi, map[i].tok) > 0)
			return map[i].m;
	return M_NONE;
}

static void http_release(rg_conn *c)
{
	if (c->job) { /* its worker may still run: the result will be dropped */
		rg_jobs_detach(rg_job_pool(c->job), c->job);
		c->job = NULL;
	}
	rg_buf_free(&c->body);
	rg_free(c->resp);
	c->resp = NULL;
	c->resp_len = 0;
}

int rg__http_send(struct lws *wsi, rg_conn *c)
{
	unsigned char hdr[LWS_PRE + 1024];
	unsigned char *start = hdr + LWS_PRE, *p = start, *end = hdr + sizeof hdr - 1;
	if (!c->resp)
		return -1; /* out of memory even for the error body: drop the connection */
	if (lws_add_http_common_headers(wsi, (unsigned int)c->status, c->content_type,
					c->resp_len, &p, end))
		return -1;
	if (c->allow && lws_add_http_header_by_name(wsi, (const unsigned char *)"allow:",
						    (const unsigned char *)c->allow,
						    (int)strlen(c->allow), &p, end))
		return -1;
	if (c->disposition &&
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"content-disposition:",
					(const unsigned char *)c->disposition,
					(int)strlen(c->disposition), &p, end))
		return -1;
	if (c->location &&
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"location:",
					(const unsigned char *)c->location,
					(int)strlen(c->location), &p, end))
		return -1;
	if (c->close_after &&
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"connection:",
					(const unsigned char *)"close", 5, &p, end))
		return -1;
	if (lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	rg_stats_http_status(&rg__server_of(wsi)->stats, c->status);
	c->responded = true;
	lws_callback_on_writable(wsi);
	return 0;
}

static int handle(struct lws *wsi, rg_conn *c)
{
	c->job = NULL;
	rg__route(rg__server_of(wsi), c, c->body.data ? c->body.data : "", c->body.len);
	rg_buf_reset(&c->body);
	if (c->job) {
		/* a worker answers (jobs.c); model calls may take a while */
		lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT, RG_JOB_TIMEOUT_S);
		return 0;
	}
	return rg__http_send(wsi, c);
}

/* Start of a request: method, path, query, and whether a body follows. */
static int on_request(struct lws *wsi, rg_conn *c, const char *path)
{
	rg_server *s = rg__server_of(wsi);
	rg_free(c->resp);
	c->resp = NULL;
	c->body_too_big = c->close_after = c->responded = false;
	c->query_episode[0] = '\0';
	if (!c->body.max)
		rg_buf_init(&c->body, s->cfg->max_message_bytes);
	rg_buf_reset(&c->body);
	c->method = method_of(wsi);
	c->wsi = wsi;
	snprintf(c->uri, sizeof c->uri, "%s", strlen(path) <= RG_MAX_URI_LEN ? path : "/?");
	char arg[RG_MAX_EPISODE_ID_LEN + 16];
	const char *v = lws_get_urlarg_by_name(wsi, "episode_id=", arg, (int)sizeof arg);
	if (v)
		snprintf(c->query_episode, sizeof c->query_episode, "%s", v);
	else if (lws_hdr_custom_copy(wsi, arg, (int)sizeof arg, "x-episode-id:", 13) > 0)
		snprintf(c->query_episode, sizeof c->query_episode, "%s", arg);
	c->query_family[0] = '\0';
	v = lws_get_urlarg_by_name(wsi, "family=", arg, (int)sizeof arg);
	if (v)
		snprintf(c->query_family, sizeof c->query_family, "%s", v);
	/* every argument, '&'-joined, for routes that read more (rg__query_arg) */
	c->query[0] = '\0';
	c->query_too_long = false;
	size_t ql = 0;
	for (int i = 0; lws_hdr_copy_fragment(wsi, arg, (int)sizeof arg, WSI_TOKEN_HTTP_URI_ARGS, i) >= 0; i++) {
		size_t al = strlen(arg);
		if (ql + al + 2 > sizeof c->query) {
			c->query_too_long = true;
			break;
		}
		if (ql)
			c->query[ql++] = '&';
		memcpy(c->query + ql, arg, al + 1);
		ql += al;
	}
	c->disposition = NULL;
	c->location = NULL;

	long long clen = 0;
	char num[32];
	if (lws_hdr_copy(wsi, num, sizeof num, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0)
		clen = strtoll(num, NULL, 10);
	if (c->method != M_GET && c->method != M_POST)
		c->close_after = clen > 0; /* body left unread */
	if (c->method == M_POST && clen > 0) {
		/* An oversized body is drained (never stored) and answered 413 at
		 * completion: answering before reading it breaks clients mid-send. */
		c->body_too_big = (unsigned long long)clen > s->cfg->max_message_bytes;
		return 0; /* wait for HTTP_BODY ... HTTP_BODY_COMPLETION */
	}
	return handle(wsi, c);
}

int rg__http_callback(struct lws *wsi, enum lws_callback_reasons reason, rg_conn *c, void *in,
		      size_t len)
{
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_request(wsi, c, (const char *)in);
	case LWS_CALLBACK_HTTP_BODY:
		if (!c->body_too_big && rg_buf_append(&c->body, in, len))
			c->body_too_big = true; /* keep draining; answer 413 at completion */
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		/* lws reports completion even for "Content-Length: 0", which was
		 * answered at LWS_CALLBACK_HTTP already. */
		return c->responded ? 0 : handle(wsi, c);
	case LWS_CALLBACK_HTTP_WRITEABLE: {
		if (!c->resp)
			return 0;
		int n = lws_write(wsi, c->resp + LWS_PRE, c->resp_len, LWS_WRITE_HTTP_FINAL);
		bool close = c->close_after;
		rg_free(c->resp);
		c->resp = NULL;
		if (n < 0 || close)
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		http_release(c);
		return 0;
	default:
		return 0;
	}
}
