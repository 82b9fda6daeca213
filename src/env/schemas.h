/*
 * schemas.h - JSON Schemas (draft 2020-12, pydantic's dialect) for the wire
 * types, served by GET /schema and embedded in /openapi.json.
 *
 * Design: hand-written text, not generated: the schema is a contract users read,
 * and keeping it beside the code that produces the fields makes drift visible in
 * review. The integration tests check the observations and states of a full
 * episode against the served schemas (tests/integration/harness.py
 * check_schema), and the episode unit tests check observation keys both ways,
 * so drift fails CI. Action schemas list canonical fields;
 * the tolerant normaliser (env/action.c) additionally accepts the aliases named
 * in each description.
 */
#ifndef RG_ENV_SCHEMAS_H
#define RG_ENV_SCHEMAS_H

#define RG_SCHEMA_FINDING \
	"{\"title\":\"Finding\",\"type\":\"object\",\"additionalProperties\":false," \
	"\"properties\":{" \
	"\"line_number\":{\"title\":\"Line Number\",\"description\":\"1-based line in code_to_review. Also accepted: \\\"L12\\\", \\\"12-14\\\", [12,14]; aliases line, lineno, lines.\",\"anyOf\":[{\"type\":\"integer\",\"minimum\":1},{\"type\":\"string\"},{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}]}," \
	"\"issue_type\":{\"title\":\"Issue Type\",\"description\":\"Aliases accepted: type, category; security, vulnerability, logic, error, ...\",\"enum\":[\"bug\",\"logic_error\",\"security_vulnerability\"],\"type\":\"string\"}," \
	"\"description\":{\"title\":\"Description\",\"description\":\"What is wrong and why, in your own words (pasted code earns nothing). Aliases: desc, message, explanation.\",\"type\":\"string\",\"maxLength\":4000}," \
	"\"suggested_fix\":{\"title\":\"Suggested Fix\",\"description\":\"How to fix it. Aliases: fix, suggestion, recommendation.\",\"type\":\"string\",\"maxLength\":4000,\"default\":\"\"}}," \
	"\"required\":[\"line_number\",\"description\"]}"

#define RG_SCHEMA_CODE_REVIEW_ACTION \
	"{\"title\":\"CodeReviewAction\",\"type\":\"object\",\"additionalProperties\":false," \
	"\"description\":\"One review attempt. The whole action may also be sent as model text (a JSON string, or {\\\"text\\\": ...}); fenced JSON, prose around JSON, trailing commas, single quotes and Python literals are repaired and reported in warnings.\"," \
	"\"$defs\":{\"Finding\":" RG_SCHEMA_FINDING "}," \
	"\"properties\":{" \
	"\"metadata\":{\"title\":\"Metadata\",\"type\":\"object\",\"additionalProperties\":true}," \
	"\"findings\":{\"title\":\"Findings\",\"description\":\"Aliases: issues, bugs, problems.\",\"type\":\"array\",\"maxItems\":256,\"items\":{\"$ref\":\"#/$defs/Finding\"},\"default\":[]}," \
	"\"review_summary\":{\"title\":\"Review Summary\",\"description\":\"Alias: summary.\",\"type\":\"string\",\"maxLength\":8000,\"default\":\"\"}}}"

#define RG_SCHEMA_CODE_REVIEW_OBSERVATION \
	"{\"title\":\"CodeReviewObservation\",\"type\":\"object\",\"additionalProperties\":false," \
	"\"properties\":{" \
	"\"done\":{\"type\":\"boolean\",\"default\":false}," \
	"\"reward\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}],\"default\":null}," \
	"\"metadata\":{\"type\":\"object\",\"default\":{}}," \
	"\"task_id\":{\"type\":\"string\"}," \
	"\"title\":{\"type\":\"string\"}," \
	"\"task_description\":{\"type\":\"string\"}," \
	"\"difficulty\":{\"enum\":[\"easy\",\"medium\",\"hard\"],\"type\":\"string\"}," \
	"\"code_to_review\":{\"type\":\"string\",\"description\":\"Python source; line_number counts its lines from 1.\"}," \
	"\"language\":{\"type\":\"string\"}," \
	"\"num_known_issues\":{\"type\":\"integer\",\"minimum\":1}," \
	"\"feedback\":{\"type\":\"string\"}," \
	"\"issues_found_so_far\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"Known issues of this task matched in any attempt so far.\"}," \
	"\"attempt\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"Attempts used on the task shown.\"}," \
	"\"max_attempts\":{\"type\":\"integer\",\"minimum\":1}," \
	"\"task_index\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"0-based index of the task shown.\"}," \
	"\"num_tasks\":{\"type\":\"integer\",\"minimum\":1}," \
	"\"reward_breakdown\":{\"anyOf\":[{\"type\":\"object\"},{\"type\":\"null\"}],\"description\":\"How the last attempt was scored: per issue (index only) the matched finding and line/description/type/fix components; per finding its verdict; bonus and false-positive penalty.\"}," \
	"\"warnings\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"Repairs the action normaliser made.\"}," \
	"\"family\":{\"const\":\"code_review\",\"type\":\"string\"}," \
	"\"episode_id\":{\"type\":\"string\"}," \
	"\"seed\":{\"type\":\"integer\",\"minimum\":0}," \
	"\"task_scores\":{\"type\":\"array\",\"items\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}]},\"description\":\"Best score per task so far (null: not reached).\"}," \
	"\"episode_score\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}],\"description\":\"Mean of per-task bests once the episode is done.\"}}," \
	"\"required\":[\"task_id\",\"task_description\",\"difficulty\",\"code_to_review\",\"language\",\"num_known_issues\",\"feedback\",\"issues_found_so_far\",\"attempt\",\"max_attempts\",\"task_index\",\"num_tasks\",\"reward_breakdown\",\"warnings\"]}"

#define RG_SCHEMA_PR_REVIEW_ACTION \
	"{\"title\":\"PrReviewAction\",\"type\":\"object\",\"additionalProperties\":false," \
	"\"description\":\"One review turn on the pull request. The whole action may also be sent as model text (a JSON string, or {\\\"text\\\": ...}), repaired as for code_review.\"," \
	"\"$defs\":{\"Finding\":" RG_SCHEMA_FINDING "}," \
	"\"properties\":{" \
	"\"metadata\":{\"title\":\"Metadata\",\"type\":\"object\",\"additionalProperties\":true}," \
	"\"decision\":{\"title\":\"Decision\",\"description\":\"approve ends the episode (merge); escalate ends it (security hand-off); request_changes and comment continue. Aliases: verdict, event; values like APPROVE, LGTM, changes_requested, reject.\",\"enum\":[\"approve\",\"request_changes\",\"escalate\",\"comment\"],\"type\":\"string\"}," \
	"\"comment\":{\"title\":\"Comment\",\"description\":\"What is wrong and why: name the root cause in your own words. Aliases: body, review, summary.\",\"type\":\"string\",\"maxLength\":8000,\"default\":\"\"}," \
	"\"findings\":{\"title\":\"Findings\",\"description\":\"Optional, as in code_review; line numbers of code_to_review (the new file).\",\"type\":\"array\",\"maxItems\":256,\"items\":{\"$ref\":\"#/$defs/Finding\"},\"default\":[]}}," \
	"\"required\":[\"decision\"]}"

#define RG_SCHEMA_PR_REVIEW_OBSERVATION \
	"{\"title\":\"PrReviewObservation\",\"type\":\"object\",\"additionalProperties\":false," \
	"\"properties\":{" \
	"\"done\":{\"type\":\"boolean\",\"default\":false}," \
	"\"reward\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}],\"default\":null}," \
	"\"metadata\":{\"type\":\"object\",\"default\":{}}," \
	"\"task_id\":{\"type\":\"string\"}," \
	"\"kind\":{\"enum\":[\"single-pass-review\",\"iterative-negotiation\",\"escalation-judgment\",\"custom-review\"],\"type\":\"string\"}," \
	"\"difficulty\":{\"anyOf\":[{\"enum\":[\"easy\",\"medium\",\"hard\"],\"type\":\"string\"},{\"type\":\"null\"}],\"description\":\"null for custom tasks.\"}," \
	"\"pr_title\":{\"type\":\"string\"}," \
	"\"pr_description\":{\"type\":\"string\"}," \
	"\"file\":{\"type\":\"string\",\"description\":\"Path of the changed file.\"}," \
	"\"diff\":{\"type\":\"string\",\"description\":\"Unified diff of the current revision against the base.\"}," \
	"\"code_to_review\":{\"type\":\"string\",\"description\":\"The file as of the current revision; findings count its lines from 1.\"}," \
	"\"language\":{\"type\":\"string\"}," \
	"\"revision\":{\"type\":\"integer\",\"minimum\":1,\"description\":\"Which revision of the PR is shown; it changes when the author pushes.\"}," \
	"\"author_message\":{\"type\":\"string\"}," \
	"\"turn\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"Review turns taken so far.\"}," \
	"\"max_turns\":{\"type\":\"integer\",\"minimum\":1}," \
	"\"history\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"turn\":{\"type\":\"integer\"},\"decision\":{\"type\":\"string\"},\"comment\":{\"type\":\"string\",\"description\":\"At most 2000 bytes kept.\"},\"author_reply\":{\"type\":\"string\"},\"revision\":{\"type\":\"integer\"},\"reward\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}]}}},\"description\":\"Previous turns: decision, comment, the author's reply.\"}," \
	"\"feedback\":{\"type\":\"string\"}," \
	"\"allowed_decisions\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"Empty once the episode is done.\"}," \
	"\"reward_breakdown\":{\"anyOf\":[{\"type\":\"object\"},{\"type\":\"null\"}],\"description\":\"How the last turn was scored: verdict, decision, stance, naming per issue, false positives, turn_reward (for custom tasks with expected issues: the code_review breakdown).\"}," \
	"\"warnings\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}," \
	"\"family\":{\"const\":\"pr_review\",\"type\":\"string\"}," \
	"\"episode_id\":{\"type\":\"string\"}," \
	"\"seed\":{\"type\":\"integer\",\"minimum\":0}," \
	"\"success\":{\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"null\"}],\"description\":\"Set when the episode is done (null for custom tasks).\"}," \
	"\"outcome\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}],\"description\":\"merged, escalated, over_escalated, escalated_late, merged_broken, merged_after_unescalated_critical, turn_limit, reviewed, or a scenario's end state.\"}," \
	"\"episode_score\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}],\"description\":\"0.5 x mean turn reward + 0.5 x success, 0 after approving broken code; null until done.\"}}," \
	"\"required\":[\"task_id\",\"kind\",\"pr_title\",\"pr_description\",\"diff\",\"author_message\",\"turn\",\"max_turns\",\"history\",\"feedback\",\"allowed_decisions\",\"reward_breakdown\",\"warnings\"]}"

/* The reference always serves the base State schema here (protocol §3.3); ours
 * documents the extra fields our state carries while allowing them. */
#define RG_SCHEMA_STATE \
	"{\"title\":\"State\",\"type\":\"object\",\"additionalProperties\":true," \
	"\"properties\":{" \
	"\"episode_id\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}],\"default\":null}," \
	"\"step_count\":{\"type\":\"integer\",\"minimum\":0,\"default\":0}," \
	"\"family\":{\"type\":\"string\"}," \
	"\"task_ids\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}," \
	"\"task_index\":{\"type\":\"integer\"}," \
	"\"num_tasks\":{\"type\":\"integer\"}," \
	"\"attempt\":{\"type\":\"integer\"}," \
	"\"max_attempts\":{\"type\":\"integer\"}," \
	"\"task_scores\":{\"type\":\"array\",\"items\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}]}}," \
	"\"episode_score\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}]}," \
	"\"done\":{\"type\":\"boolean\"}," \
	"\"seed\":{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"null\"}]}," \
	"\"reward_mode\":{\"enum\":[\"score\",\"delta\"]}," \
	"\"task_id\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}],\"description\":\"pr_review\"}," \
	"\"kind\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}],\"description\":\"pr_review\"}," \
	"\"turn\":{\"type\":\"integer\",\"description\":\"pr_review\"}," \
	"\"max_turns\":{\"type\":\"integer\",\"description\":\"pr_review\"}," \
	"\"revision\":{\"type\":\"integer\",\"description\":\"pr_review\"}," \
	"\"turn_rewards\":{\"type\":\"array\",\"items\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}]},\"description\":\"pr_review\"}," \
	"\"success\":{\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"null\"}],\"description\":\"pr_review\"}," \
	"\"outcome\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}],\"description\":\"pr_review\"}}}"

#endif
