/*
 * docs.c - the static documents built once at start-up: /schema, /metadata and
 * /openapi.json (protocol §3.2, §3.3, §3.8).
 *
 * Design: /schema serves the default family's action and observation schemas and
 * our State schema; the reference serves the base State schema there (a quirk) -
 * ours is a superset that still allows extra fields. /openapi.json is OpenAPI
 * 3.1 with info.version "1.0.0" (the validator reads it as the protocol profile,
 * openenv-http/1.x) and lists /reset, /step and /state together (simulation mode).
 */
#include "server/server_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/version.h"
#include "env/schemas.h"

static rg_json *parse_static(const char *text)
{
	return rg_json_parse(text, strlen(text), NULL);
}

static rg_json *op(const char *summary, const char *req_schema_ref, bool has_body)
{
	rg_json *o = rg_json_obj();
	rg_json *resp = rg_json_obj();
	rg_json *ok = rg_json_obj();
	if (!o || !resp || !ok || rg_json_set_str(o, "summary", summary) ||
	    rg_json_set_str(ok, "description", "Successful Response") ||
	    rg_json_set(ok, "content",
			parse_static("{\"application/json\":{\"schema\":{\"type\":\"object\"}}}")) ||
	    rg_json_set(resp, "200", ok)) {
		rg_json_free(o);
		rg_json_free(resp);
		return NULL;
	}
	ok = NULL;
	if (req_schema_ref) {
		rg_json *body = rg_json_obj();
		rg_json *content = rg_json_obj();
		rg_json *media = rg_json_obj();
		rg_json *schema = rg_json_obj();
		if (!body || !content || !media || !schema ||
		    rg_json_set_str(schema, "$ref", req_schema_ref) ||
		    rg_json_set(media, "schema", schema) ||
		    rg_json_set(content, "application/json", media) ||
		    rg_json_set(body, "content", content) ||
		    rg_json_set_bool(body, "required", has_body) ||
		    rg_json_set(o, "requestBody", body)) {
			rg_json_free(o);
			rg_json_free(resp);
			return NULL;
		}
	}
	if (rg_json_set(resp, "422", parse_static("{\"description\":\"Validation Error\"}")) ||
	    rg_json_set(o, "responses", resp)) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static rg_json *path(const char *method, rg_json *operation)
{
	rg_json *p = rg_json_obj();
	if (!p || rg_json_set(p, method, operation)) {
		rg_json_free(p);
		return NULL;
	}
	return p;
}

static char *build_openapi(size_t *len)
{
	rg_json *doc = parse_static(
		"{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"OpenEnv Environment HTTP API\","
		"\"version\":\"1.0.0\",\"description\":\"reviewgym: code-review RL environments over "
		"the OpenEnv protocol. The WebSocket session endpoint is GET /ws.\"}}");
	rg_json *paths = rg_json_obj();
	rg_json *comp = rg_json_obj();
	rg_json *schemas = rg_json_obj();
	char *s = NULL;
	const rg_env_ops *fam = rg_env_default_family();
	if (!doc || !paths || !comp || !schemas ||
	    rg_json_set(schemas, "ResetRequest",
			parse_static("{\"type\":\"object\",\"additionalProperties\":true,\"properties\":{"
				     "\"seed\":{\"anyOf\":[{\"type\":\"integer\",\"minimum\":0},{\"type\":\"null\"}]},"
				     "\"episode_id\":{\"anyOf\":[{\"type\":\"string\",\"maxLength\":255},{\"type\":\"null\"}]},"
				     "\"family\":{\"type\":\"string\"},\"task_id\":{\"type\":\"string\"},"
				     "\"difficulty\":{\"enum\":[\"easy\",\"medium\",\"hard\"]},"
				     "\"tasks\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
				     "\"max_attempts\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
				     "\"reward_mode\":{\"enum\":[\"score\",\"delta\"]}}}")) ||
	    rg_json_set(schemas, "StepRequest",
			parse_static("{\"type\":\"object\",\"additionalProperties\":true,\"required\":[\"action\"],"
				     "\"properties\":{\"action\":{\"$ref\":\"#/components/schemas/Action\"},"
				     "\"episode_id\":{\"type\":\"string\"},\"timeout_s\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}]},"
				     "\"request_id\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}}}")) ||
	    rg_json_set(schemas, "Action", parse_static(fam->action_schema)) ||
	    rg_json_set(schemas, "Observation", parse_static(fam->observation_schema)) ||
	    rg_json_set(schemas, "State", parse_static(RG_SCHEMA_STATE)) ||
	    rg_json_set(paths, "/reset", path("post", op("Reset the environment", "#/components/schemas/ResetRequest", false))) ||
	    rg_json_set(paths, "/step", path("post", op("Execute one action", "#/components/schemas/StepRequest", true))) ||
	    rg_json_set(paths, "/state", path("get", op("Current episode state (?episode_id=)", NULL, false))) ||
	    rg_json_set(paths, "/metadata", path("get", op("Environment metadata", NULL, false))) ||
	    rg_json_set(paths, "/health", path("get", op("Health check", NULL, false))) ||
	    rg_json_set(paths, "/schema", path("get", op("Action, observation and state JSON Schemas", NULL, false))) ||
	    rg_json_set(paths, "/mcp", path("post", op("MCP JSON-RPC endpoint", NULL, true))) ||
	    rg_json_set(comp, "schemas", schemas)) {
		schemas = NULL;
		goto out;
	}
	schemas = NULL;
	if (rg_json_set(doc, "paths", paths) || (paths = NULL, rg_json_set(doc, "components", comp))) {
		paths = comp = NULL;
		goto out;
	}
	paths = comp = NULL;
	s = rg_json_dump(doc, len);
out:
	rg_json_free(paths);
	rg_json_free(comp);
	rg_json_free(schemas);
	rg_json_free(doc);
	return s;
}

static char *build_schema(size_t *len)
{
	const rg_env_ops *fam = rg_env_default_family();
	rg_json *o = rg_json_obj();
	char *s = NULL;
	if (o && !rg_json_set(o, "action", parse_static(fam->action_schema)) &&
	    !rg_json_set(o, "observation", parse_static(fam->observation_schema)) &&
	    !rg_json_set(o, "state", parse_static(RG_SCHEMA_STATE)))
		s = rg_json_dump(o, len);
	rg_json_free(o);
	return s;
}

static char *build_metadata(const char *readme, size_t *len)
{
	rg_json *o = rg_json_obj();
	char *s = NULL;
	if (o && !rg_json_set_str(o, "name", "reviewgym") &&
	    !rg_json_set_str(o, "description",
			     "RL environments for training AI code reviewers: code_review (find bugs, "
			     "logic errors and vulnerabilities in Python snippets, graded against "
			     "execution-verified ground truth).") &&
	    !rg_json_set(o, "readme_content", readme ? rg_json_str(readme) : rg_json_null()) &&
	    !rg_json_set_str(o, "version", RG_VERSION) &&
	    !rg_json_set_str(o, "author", "reviewgym contributors") &&
	    !rg_json_set_null(o, "documentation_url"))
		s = rg_json_dump(o, len);
	rg_json_free(o);
	return s;
}

int rg__server_build_docs(rg_server *s)
{
	s->body_schema = build_schema(&s->len_schema);
	s->body_openapi = build_openapi(&s->len_openapi);
	s->body_metadata = build_metadata(s->readme, &s->len_metadata);
	return s->body_schema && s->body_openapi && s->body_metadata ? RG_OK : RG_ENOMEM;
}
