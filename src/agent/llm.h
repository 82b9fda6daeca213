/*
 * llm.h - a client for OpenAI-compatible chat-completions endpoints (libcurl).
 *
 * Design: one blocking call per turn, made from the runner thread that owns the
 * episode (each call has its own curl easy handle, so threads share nothing but
 * curl's global state, initialised once by the caller). Transient failures - 429,
 * 5xx, timeouts, refused or reset connections - are retried with exponential
 * backoff (0.5 s doubling, capped at 8 s; a Retry-After of up to 30 s is
 * honoured); other 4xx are final, reported with the status and the endpoint's
 * own error message. Replies are capped at RG_LLM_MAX_REPLY bytes. The API key
 * goes only into the Authorization header: it is never logged or put in an error.
 */
#ifndef RG_AGENT_LLM_H
#define RG_AGENT_LLM_H

#include "core/err.h"
#include "core/json.h"

#define RG_LLM_MAX_REPLY (8u * 1024 * 1024)

typedef struct rg_llm_config {
	const char *base_url;  /* API_BASE_URL, e.g. https://router.huggingface.co/v1 */
	const char *model;     /* MODEL_NAME */
	const char *api_key;   /* HF_TOKEN or API_KEY; may be NULL for local servers */
	int timeout_s;         /* per HTTP request */
	int retries;           /* extra attempts after a transient failure */
	double temperature;
	int max_tokens;        /* completion tokens per call, 0 = the endpoint's default */
} rg_llm_config;

typedef struct rg_llm_usage {
	long long prompt_tokens, completion_tokens;
	long long calls, retries, failures;
} rg_llm_usage;

/* Call once before any thread uses the client, and the matching cleanup at exit. */
void rg_llm_global_init(void);
void rg_llm_global_cleanup(void);

/* Send messages (a JSON array of {role, content}); on success *text is the first
 * choice's message content (rg_malloc'd, rg_free it) and usage is added to.
 * RG_EIO for transport failures after the retries, RG_EINVAL for a reply that is
 * not a chat completion. */
RG_MUST_CHECK int rg_llm_chat(const rg_llm_config *cfg, const rg_json *messages, char **text,
			      rg_llm_usage *usage, rg_err *err);

#endif
