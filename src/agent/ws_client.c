/*
 * ws_client.c - the blocking WebSocket client (see ws_client.h).
 *
 * The lws callback only records events into the client struct (connected,
 * closed, bytes received, writable); rg_ws_request drives lws_service until the
 * event it waits for happens or the deadline passes.
 */
#include "agent/ws_client.h"

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"

enum { WS_CONNECTING, WS_OPEN, WS_CLOSED };

struct rg_ws_client {
	struct lws_context *ctx;
	struct lws *wsi;
	int state;
	char why[160];          /* why the connection failed or closed */
	unsigned char *tx;      /* LWS_PRE + tx_len, pending until written */
	size_t tx_len;
	bool closing;
	rg_buf rx;
	bool rx_done;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	(void)user;
	rg_ws_client *c = lws_context_user(lws_get_context(wsi));
	if (!c)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->state = WS_OPEN;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		snprintf(c->why, sizeof c->why, "cannot connect: %s",
			 in && len ? (const char *)in : "connection refused");
		c->state = WS_CLOSED;
		c->wsi = NULL;
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (c->rx_done)
			rg_buf_reset(&c->rx); /* an unrequested message: keep the newest */
		c->rx_done = false;
		if (rg_buf_append(&c->rx, in, len)) {
			snprintf(c->why, sizeof c->why, "reply larger than %u bytes",
				 RG_WS_CLIENT_MAX_REPLY);
			c->state = WS_CLOSED;
			return -1;
		}
		if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi))
			c->rx_done = true;
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (c->closing) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
			return -1;
		}
		if (c->tx) {
			int n = lws_write(wsi, c->tx + LWS_PRE, c->tx_len, LWS_WRITE_TEXT);
			rg_free(c->tx);
			c->tx = NULL;
			if (n < (int)c->tx_len) {
				snprintf(c->why, sizeof c->why, "write failed");
				c->state = WS_CLOSED;
				return -1;
			}
		}
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		snprintf(c->why, sizeof c->why, "the server closed the connection (%d)",
			 len >= 2 ? (((const unsigned char *)in)[0] << 8) | ((const unsigned char *)in)[1]
				  : 1005);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (!c->why[0])
			snprintf(c->why, sizeof c->why, "the connection closed");
		c->state = WS_CLOSED;
		c->wsi = NULL;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "reviewgym-client", callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* Service until *flag holds or the deadline; false on timeout or close. */
static bool wait_for(rg_ws_client *c, const bool *flag, int want_state, double deadline)
{
	while (!(flag ? *flag : c->state == want_state)) {
		if (c->state == WS_CLOSED || now_s() > deadline)
			return false;
		if (lws_service(c->ctx, 50) < 0)
			return false;
	}
	return true;
}

rg_ws_client *rg_ws_connect(const char *url, int timeout_s, rg_err *err)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", url);
	const char *scheme, *host, *path;
	int port;
	if (strlen(url) >= sizeof buf || lws_parse_uri(buf, &scheme, &host, &port, &path)) {
		rg_err_set(err, RG_EINVAL, "url", NULL, "expected http://host:port or ws://host:port");
		return NULL;
	}
	bool tls = !strcmp(scheme, "https") || !strcmp(scheme, "wss");
	if (!tls && strcmp(scheme, "http") && strcmp(scheme, "ws")) {
		rg_err_set(err, RG_EINVAL, "url", NULL, "unsupported scheme \"%s\"", scheme);
		return NULL;
	}
	rg_ws_client *c = rg_calloc(1, sizeof *c);
	if (!c) {
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
		return NULL;
	}
	rg_buf_init(&c->rx, RG_WS_CLIENT_MAX_REPLY);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.user = c;
	info.options = tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
	c->ctx = lws_create_context(&info);
	if (!c->ctx) {
		rg_ws_close(c);
		rg_err_set(err, RG_EIO, "url", NULL, "cannot create a WebSocket context");
		return NULL;
	}
	/* lws_parse_uri drops the leading '/'. A bare host means the OpenEnv /ws; a
	 * path ending in "ws" is used as is; another path is a prefix (a proxy's). */
	char ws_path[512];
	size_t pl = path ? strlen(path) : 0;
	while (pl && path[pl - 1] == '/')
		pl--;
	if (pl == 0)
		snprintf(ws_path, sizeof ws_path, "/ws");
	else if (pl >= 2 && !strncmp(path + pl - 2, "ws", 2))
		snprintf(ws_path, sizeof ws_path, "/%.*s", (int)pl, path);
	else
		snprintf(ws_path, sizeof ws_path, "/%.*s/ws", (int)pl, path);
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof ci);
	ci.context = c->ctx;
	ci.address = host;
	ci.port = port;
	ci.path = ws_path;
	ci.host = host;
	ci.origin = host;
	ci.protocol = NULL;
	ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
	ci.pwsi = &c->wsi;
	if (!lws_client_connect_via_info(&ci) && !c->wsi) {
		snprintf(c->why, sizeof c->why, "cannot start a connection to %s:%d", host, port);
		c->state = WS_CLOSED;
	}
	if (!wait_for(c, NULL, WS_OPEN, now_s() + timeout_s)) {
		rg_err_set(err, RG_EIO, "url", NULL, "%s (%s)",
			   c->why[0] ? c->why : "the WebSocket handshake timed out", url);
		rg_ws_close(c);
		return NULL;
	}
	return c;
}

int rg_ws_request(rg_ws_client *c, const char *msg, size_t len, char **reply, size_t *reply_len,
		  int timeout_s, rg_err *err)
{
	*reply = NULL;
	if (c->state != WS_OPEN || !c->wsi)
		return rg_err_set(err, RG_EIO, NULL, NULL, "%s",
				  c->why[0] ? c->why : "the connection is closed");
	rg_free(c->tx);
	c->tx = rg_malloc(LWS_PRE + len + 1);
	if (!c->tx)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	memcpy(c->tx + LWS_PRE, msg, len);
	c->tx_len = len;
	rg_buf_reset(&c->rx);
	c->rx_done = false;
	lws_callback_on_writable(c->wsi);
	if (!wait_for(c, &c->rx_done, 0, now_s() + timeout_s)) {
		if (c->state != WS_CLOSED)
			snprintf(c->why, sizeof c->why, "no reply within %d s", timeout_s);
		c->state = WS_CLOSED;
		return rg_err_set(err, RG_EIO, NULL, NULL, "%s", c->why);
	}
	*reply = rg_buf_take(&c->rx, reply_len);
	if (!*reply)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	c->rx_done = false;
	return RG_OK;
}

void rg_ws_close(rg_ws_client *c)
{
	if (!c)
		return;
	if (c->ctx && c->wsi && c->state == WS_OPEN) {
		c->closing = true;
		lws_callback_on_writable(c->wsi);
		double deadline = now_s() + 2;
		while (c->state != WS_CLOSED && now_s() < deadline && lws_service(c->ctx, 50) >= 0)
			;
	}
	if (c->ctx)
		lws_context_destroy(c->ctx);
	rg_free(c->tx);
	rg_buf_free(&c->rx);
	rg_free(c);
}
