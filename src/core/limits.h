/*
 * limits.h - every bound reviewgym enforces, in one place.
 *
 * Design: hostile input (network bytes, agent output, task files) must never make
 * the server allocate or loop without bound. Each limit says what it bounds, its
 * unit and why the value was chosen, in the manner of SQLite's sqliteLimit.h. Code
 * checks these *before* allocating. Runtime-tunable limits (body size, sessions,
 * idle timeout) have their default here and their override in the server config.
 */
#ifndef RG_CORE_LIMITS_H
#define RG_CORE_LIMITS_H

/* --- network ------------------------------------------------------------ */

/* Default max HTTP request body and WebSocket message (after reassembly), bytes.
 * 1 MiB holds a 256-finding review with 4 KB descriptions; far above any honest
 * action, far below memory trouble at 1024 sessions. Tunable (--max-message). */
#define RG_DEFAULT_MAX_MESSAGE_BYTES (1024 * 1024)
/* Hard ceiling for the tunable above: 16 MiB is uvicorn's default WS limit. */
#define RG_MAX_MESSAGE_BYTES_CEILING (16 * 1024 * 1024)
/* Default concurrent sessions (WS connections + HTTP episodes). OpenEnv trainers
 * open grad_accum x batch sessions; 1024 covers large GRPO runs (protocol §11.1). */
#define RG_DEFAULT_MAX_SESSIONS 1024
#define RG_MAX_SESSIONS_CEILING 65536
/* Default idle timeout, seconds: a session with no reset/step for this long is
 * reaped, so half-open connections cannot hold slots forever (protocol §5.1). */
#define RG_DEFAULT_IDLE_TIMEOUT_S 900
/* Replies queued on one WebSocket before the connection is considered abusive.
 * Requests are answered in order; rx flow control normally keeps this at 1. */
#define RG_MAX_WS_QUEUED_REPLIES 16
/* /api/feed: subscribers at once, and frames queued for one that reads slowly
 * (beyond it frames are dropped and counted, never waited for). */
#define RG_MAX_FEED_SUBSCRIBERS 64
#define RG_MAX_FEED_QUEUED 256
/* Seconds an HTTP request answered by a worker (store read, model call) may wait
 * before lws drops the connection; model calls time out well before. */
#define RG_JOB_TIMEOUT_S 300
/* Bytes of one /api/export answer; larger exports go through `reviewgym export`. */
#define RG_MAX_EXPORT_BYTES (64u * 1024 * 1024)
/* episode_id length, characters: the reference's ResetRequest allows 255. */
#define RG_MAX_EPISODE_ID_LEN 255
/* URL length we route on; longer paths are answered 404. */
#define RG_MAX_URI_LEN 1024

/* --- actions (agent output) --------------------------------------------- */

/* Findings per attempt. Snippets are <= 400 lines; 256 lets a reviewer report
 * several findings per suspicious line while keeping the O(issues^2 x findings)
 * assignment in microseconds. */
#define RG_MAX_FINDINGS 256
/* Characters (UTF-8 code points) of one finding's description / suggested fix,
 * as the schema's maxLength says; and the bytes that allows (4 per character),
 * which bounds the grader's scratch text. */
#define RG_MAX_FINDING_TEXT_CHARS 4000
#define RG_MAX_FINDING_TEXT_BYTES (4 * RG_MAX_FINDING_TEXT_CHARS)
/* Characters of review_summary. */
#define RG_MAX_SUMMARY_CHARS 8000
/* Bytes of a raw text action (model output) we search for JSON. */
#define RG_MAX_RAW_ACTION_BYTES (256 * 1024)
/* Warnings reported back for one action; repairs beyond this are counted. */
#define RG_MAX_WARNINGS 16
/* Bytes of one warning message. */
#define RG_WARNING_BYTES 160
/* Largest line number accepted in a finding. */
#define RG_MAX_LINE_NUMBER 1000000

/* --- task bank ---------------------------------------------------------- */

#define RG_MAX_TASKS 4096
#define RG_MAX_TASK_FILE_BYTES (256 * 1024)     /* task.json, test.py */
#define RG_MAX_CODE_BYTES (64 * 1024)           /* code.py, fixed.py */
#define RG_MAX_CODE_LINES 400
#define RG_MAX_ISSUES 16                        /* per task */
#define RG_MAX_GROUPS 8                         /* concept groups per issue */
#define RG_MAX_PHRASES 16                       /* alternatives per group */
#define RG_MAX_PHRASE_BYTES 80
#define RG_MAX_LEXICON_CLASSES 256
#define RG_MAX_LEXICON_PHRASES 64               /* per class */
#define RG_MAX_ID_LEN 64
#define RG_MAX_TITLE_LEN 120
#define RG_MAX_DESCRIPTION_LEN 1000
#define RG_MAX_EXPLANATION_LEN 600
/* Seconds a task's test.py may run under `tasks check`. */
#define RG_TASK_TEST_TIMEOUT_S 10

/* --- pr_review ---------------------------------------------------------- */

/* Review turns in one PR episode: a negotiation needs 4-6; 10 bounds history. */
#define RG_MAX_PR_TURNS 10
#define RG_MAX_PR_VERSIONS 8                    /* code versions per scenario */
#define RG_MAX_PR_STATES 32                     /* author states per scenario */
#define RG_MAX_PR_RULES 16                      /* transition rules per state */
#define RG_MAX_PR_MESSAGE_LEN 1000              /* author message, bytes */
/* Characters of a pr_review comment (the schema's maxLength). */
#define RG_MAX_COMMENT_CHARS 8000
/* Bytes of a comment the grader reads (4 per character). */
#define RG_MAX_NAMING_TEXT_BYTES (4 * RG_MAX_COMMENT_CHARS)
/* Bytes of a comment kept in the episode history: the history is echoed in every
 * observation, so it is bounded (turns x this) whatever the agent sends. */
#define RG_MAX_HISTORY_COMMENT_BYTES 2000
/* Rendered diff of one version, bytes (two files of RG_MAX_CODE_BYTES). */
#define RG_MAX_DIFF_BYTES (4 * RG_MAX_CODE_BYTES)
/* Custom review tasks held by the server: registrations past this evict the
 * oldest task no session is using; when every one is in use, a clear error. */
#define RG_DEFAULT_MAX_CUSTOM_TASKS 256
/* Ceiling for the tunable above: each task may hold up to 4 MiB of arena. */
#define RG_MAX_CUSTOM_TASKS_CEILING 4096
/* Texts POST /diff compares, bytes each. */
#define RG_MAX_DIFF_INPUT_BYTES RG_MAX_CODE_BYTES

/* --- episodes ----------------------------------------------------------- */

#define RG_DEFAULT_MAX_ATTEMPTS 3
#define RG_MAX_ATTEMPTS_CEILING 10
/* Tasks in one episode (explicit `tasks` list). */
#define RG_MAX_EPISODE_TASKS 32

#endif
