/*
 * docs.c - the static documents built once at start-up: /schema, /metadata and
 * /openapi.json (protocol §3.2, §3.3, §3.8).
 *
 * Design: /schema serves the default family's action and observation schemas
 * (/schema?family=pr_review the other family's) and
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

/* Builders attach each container to its parent first and then fill it through a
 * borrowed pointer, so on any failure one free of the root releases everything. */

/* A new empty object set as parent[key] (borrowed), or NULL. */
static rg_json *child(rg_json *parent, const char *key)
{
	rg_json *o = rg_json_obj();
	return o && !rg_json_set(parent, key, o) ? o : NULL;
}

/* {summary, [requestBody], responses} of one operation, set as paths[route][method]. */
static int add_op(rg_json *paths, const char *route, const char *method, const char *summary,
		  const char *request_ref, bool body_required)
{
	rg_json *item = child(paths, route);
	rg_json *o = item ? child(item, method) : NULL;
	rg_json *resp = o && !rg_json_set_str(o, "summary", summary) ? child(o, "responses") : NULL;
	if (!resp ||
	    rg_json_set(resp, "200",
			parse_static("{\"description\":\"Successful Response\",\"content\":"
				     "{\"application/json\":{\"schema\":{\"type\":\"object\"}}}}")) ||
	    rg_json_set(resp, "422", parse_static("{\"description\":\"Validation Error\"}")))
		return RG_ENOMEM;
	if (!request_ref)
		return RG_OK;
	rg_json *body = child(o, "requestBody");
	rg_json *media = body ? child(child(body, "content"), "application/json") : NULL;
	rg_json *schema = media ? child(media, "schema") : NULL;
	if (!schema || rg_json_set_str(schema, "$ref", request_ref) ||
	    rg_json_set_bool(body, "required", body_required))
		return RG_ENOMEM;
	return RG_OK;
}

static char *build_openapi(size_t *len)
{
	const rg_env_ops *fam = rg_env_default_family();
	rg_json *doc = parse_static(
		"{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"OpenEnv Environment HTTP API\","
		"\"version\":\"1.0.0\",\"description\":\"reviewgym: code-review RL environments over "
		"the OpenEnv protocol. The WebSocket session endpoint is GET /ws.\"}}");
	rg_json *paths = doc ? child(doc, "paths") : NULL;
	rg_json *comp = doc ? child(doc, "components") : NULL;
	rg_json *schemas = comp ? child(comp, "schemas") : NULL;
	char *s = NULL;
	if (schemas &&
	    !rg_json_set(schemas, "ResetRequest",
			 parse_static("{\"type\":\"object\",\"additionalProperties\":true,\"properties\":{"
				      "\"seed\":{\"anyOf\":[{\"type\":\"integer\",\"minimum\":0},{\"type\":\"null\"}]},"
				      "\"episode_id\":{\"anyOf\":[{\"type\":\"string\",\"maxLength\":255},{\"type\":\"null\"}]},"
				      "\"family\":{\"type\":\"string\"},\"task_id\":{\"type\":\"string\"},"
				      "\"difficulty\":{\"enum\":[\"easy\",\"medium\",\"hard\"]},"
				      "\"tasks\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
				      "\"max_attempts\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
				      "\"reward_mode\":{\"enum\":[\"score\",\"delta\"]}}}")) &&
	    !rg_json_set(schemas, "StepRequest",
			 parse_static("{\"type\":\"object\",\"additionalProperties\":true,\"required\":[\"action\"],"
				      "\"properties\":{\"action\":{\"$ref\":\"#/components/schemas/Action\"},"
				      "\"episode_id\":{\"type\":\"string\"},\"timeout_s\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}]},"
				      "\"request_id\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}}}")) &&
	    !rg_json_set(schemas, "Action", parse_static(fam->action_schema)) &&
	    !rg_json_set(schemas, "Observation", parse_static(fam->observation_schema)) &&
	    !rg_json_set(schemas, "State", parse_static(RG_SCHEMA_STATE)) &&
	    !add_op(paths, "/reset", "post", "Reset the environment",
		    "#/components/schemas/ResetRequest", false) &&
	    !add_op(paths, "/step", "post", "Execute one action",
		    "#/components/schemas/StepRequest", true) &&
	    !add_op(paths, "/state", "get", "Current episode state (?episode_id=)", NULL, false) &&
	    !add_op(paths, "/metadata", "get", "Environment metadata", NULL, false) &&
	    !add_op(paths, "/health", "get", "Health check", NULL, false) &&
	    !add_op(paths, "/schema", "get", "Action, observation and state JSON Schemas", NULL,
		    false) &&
	    !add_op(paths, "/mcp", "post", "MCP JSON-RPC endpoint", NULL, false) &&
	    !add_op(paths, "/tasks", "get", "The task registry of both families (and custom tasks)",
		    NULL, false) &&
	    !add_op(paths, "/diff", "post", "Unified diff between two texts, with its hunks", NULL,
		    false) &&
	    !add_op(paths, "/config/custom", "post",
		    "Register your own code or diff for a custom pr_review; returns the task_id", NULL,
		    false))
		s = rg_json_dump(doc, len);
	rg_json_free(doc);
	return s;
}

static char *build_schema(const rg_env_ops *fam, size_t *len)
{
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
			     "execution-verified ground truth) and pr_review (multi-turn pull request "
			     "review against a simulated author who pushes back; plus custom review).") &&
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
	s->body_schema = build_schema(rg_env_default_family(), &s->len_schema);
	s->body_schema_pr = build_schema(rg_env_family("pr_review"), &s->len_schema_pr);
	s->body_openapi = build_openapi(&s->len_openapi);
	s->body_metadata = build_metadata(s->readme, &s->len_metadata);
	return s->body_schema && s->body_schema_pr && s->body_openapi && s->body_metadata
		       ? RG_OK
		       : RG_ENOMEM;
}
