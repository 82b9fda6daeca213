/*
 * mcp.c - POST /mcp and WS "mcp" messages: JSON-RPC 2.0 answered exactly as the
 * reference answers an environment without MCP tools (protocol §3.7).
 *
 * Design: the validator only needs HTTP 200 and "jsonrpc":"2.0" for {}; clients
 * need the reference's codes. Parse failures and non-objects give -32700 with id
 * null; a request failing the request model (jsonrpc != "2.0", method not a
 * string, params not an object, id of the wrong type, extra keys) gives -32600
 * with id null; tools/list, tools/call and the openenv/session methods give
 * -32603 "Environment does not support MCP" (this environment exposes no tools,
 * so MCP sessions would serve nothing); other methods give -32601.
 */
#include "server/server_int.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"

static char *reply(const rg_json *id, int code, const char *message, size_t *len)
{
	rg_json *o = rg_json_obj();
	rg_json *e = rg_json_obj();
	char *s = NULL;
	int rc = !o || !e || rg_json_set_str(o, "jsonrpc", "2.0") ||
		 rg_json_set(o, "id", id ? rg_json_deep_copy(id) : rg_json_null()) ||
		 rg_json_set_int(e, "code", code) || rg_json_set_str(e, "message", message) ||
		 rg_json_set_null(e, "data");
	if (!rc) {
		rc = rg_json_set(o, "error", e);
		e = NULL;
	}
	if (!rc)
		s = rg_json_dump(o, len);
	rg_json_free(e);
	rg_json_free(o);
	return s;
}

static const char *invalid_request(const rg_json *req)
{
	static const char *const keys[] = { "jsonrpc", "method", "params", "id" };
	for (void *it = rg_json_iter(req); it; it = rg_json_iter_next(req, it)) {
		bool known = false;
		for (size_t i = 0; i < 4; i++)
			known = known || !strcmp(rg_json_iter_key(it), keys[i]);
		if (!known)
			return "Extra inputs are not permitted";
	}
	const rg_json *v = rg_json_get(req, "jsonrpc");
	if (!rg_json_is_str(v) || strcmp(rg_json_str_val(v), "2.0"))
		return "jsonrpc: Input should be '2.0'";
	if (!rg_json_is_str(rg_json_get(req, "method")))
		return "method: Field required (a string)";
	v = rg_json_get(req, "params");
	if (v && !rg_json_is_obj(v))
		return "params: Input should be a valid dictionary";
	v = rg_json_get(req, "id");
	if (v && !rg_json_is_str(v) && !rg_json_is_int(v) && !rg_json_is_null(v))
		return "id: Input should be a valid string or integer";
	return NULL;
}

char *rg__mcp_handle(const char *body, size_t len, size_t *out_len)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *req = rg_json_parse(body, len, &err);
	char *s;
	if (!req || !rg_json_is_obj(req)) {
		s = reply(NULL, -32700, "Parse error", out_len);
	} else if (invalid_request(req)) {
		char m[160];
		snprintf(m, sizeof m, "Invalid request: %s", invalid_request(req));
		s = reply(NULL, -32600, m, out_len);
	} else {
		const char *method = rg_json_str_val(rg_json_get(req, "method"));
		const rg_json *id = rg_json_get(req, "id");
		if (!strcmp(method, "tools/list") || !strcmp(method, "tools/call") ||
		    !strncmp(method, "openenv/session/", 16)) {
			s = reply(id, -32603, "Environment does not support MCP", out_len);
		} else {
			char m[160];
			snprintf(m, sizeof m, "Method not found: %.120s", method);
			s = reply(id, -32601, m, out_len);
		}
	}
	rg_json_free(req);
	return s;
}
