/*
 * ws_client.h - a synchronous OpenEnv WebSocket client: connect to a server's
 * /ws, send one message, wait for its reply.
 *
 * Design: the runner plays an episode as a strict request/reply conversation
 * (the server answers every message in order), so the client is blocking: each
 * client owns its own libwebsockets context and services it only while it
 * waits, with a deadline. One client per runner thread; clients share nothing,
 * so K threads give K parallel sessions without locks. Being the same wire a
 * Python trainer uses, it is what makes runner results mean something for them.
 *
 * URLs: http://host:port, ws://host:port (path /ws is implied) and the TLS forms
 * https:// and wss://. A reply larger than RG_WS_CLIENT_MAX_REPLY is an error.
 */
#ifndef RG_AGENT_WS_CLIENT_H
#define RG_AGENT_WS_CLIENT_H

#include <stddef.h>

#include "core/err.h"

#define RG_WS_CLIENT_MAX_REPLY (64u * 1024 * 1024)

typedef struct rg_ws_client rg_ws_client;

/* Connect and complete the handshake within timeout_s. NULL with err (RG_EIO,
 * field "url") when the server cannot be reached. */
rg_ws_client *rg_ws_connect(const char *url, int timeout_s, rg_err *err);

/* Send msg (a JSON text) and wait up to timeout_s for the next message. *reply
 * is rg_malloc'd and NUL-terminated (rg_free it). RG_EIO when the connection
 * closed or timed out; the client is then unusable. */
RG_MUST_CHECK int rg_ws_request(rg_ws_client *c, const char *msg, size_t len, char **reply,
				size_t *reply_len, int timeout_s, rg_err *err);

/* Send a close frame (best effort) and free everything. NULL is fine. */
void rg_ws_close(rg_ws_client *c);

#endif
