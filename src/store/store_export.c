/*
 * store_export.c - episodes out of the store: JSON lines (one episode per line,
 * with params, the initial observation and every step) or CSV (one row per
 * episode, the columns a spreadsheet wants). Output goes through a callback so
 * the HTTP route can cap it in memory and `reviewgym export` can stream to a file.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/limits.h"

/* CSV field per RFC 4180: quoted when it holds a comma, quote or line break. */
static int csv_field(rg_buf *b, const char *s, bool last)
{
	int rc = RG_OK;
	if (s && strpbrk(s, ",\"\r\n")) {
		rc = rg_buf_puts(b, "\"");
		for (const char *p = s; !rc && *p; p++)
			rc = *p == '"' ? rg_buf_puts(b, "\"\"") : rg_buf_append(b, p, 1);
		rc = rc ? rc : rg_buf_puts(b, "\"");
	} else if (s) {
		rc = rg_buf_puts(b, s);
	}
	return rc ? rc : rg_buf_puts(b, last ? "\r\n" : ",");
}

static int csv_row(rg_buf *b, sqlite3_stmt *q)
{
	/* id, episode_id, family, client, started_at, ended_at, steps, task_ids,
	 * difficulty, seed, task_scores, episode_score, success, outcome, done */
	int rc = RG_OK;
	for (int i = 0; !rc && i < 15; i++)
		rc = csv_field(b, (const char *)sqlite3_column_text(q, i), i == 14);
	return rc;
}

int rg_store_export(const char *path, const rg_store_filter *f, bool csv, rg_store_out_fn out,
		    void *ud, rg_err *err)
{
	sqlite3 *db = rg__store_open_ro(path, err);
	if (!db)
		return err->code;
	unsigned limit = f->limit && f->limit <= RG_STORE_MAX_EXPORT ? f->limit : RG_STORE_MAX_EXPORT;
	sqlite3_stmt *q = rg__store_filtered(db, f, limit, err);
	rg_buf line;
	rg_buf_init(&line, RG_MAX_EXPORT_BYTES);
	int rc = q ? RG_OK : err->code;
	if (!rc && csv) {
		static const char head[] = "id,episode_id,family,client,started_at,ended_at,steps,"
					   "task_ids,difficulty,seed,task_scores,episode_score,"
					   "success,outcome,done\r\n";
		rc = out(ud, head, sizeof head - 1);
	}
	int s = SQLITE_ROW;
	while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
		rg_buf_reset(&line);
		if (csv) {
			rc = csv_row(&line, q);
		} else {
			rg_json *e = rg__store_episode_row(q, true);
			rg_json *steps = e ? rg__store_steps_of(db, sqlite3_column_int64(q, 0), err) : NULL;
			size_t n = 0;
			char *text = NULL;
			if (e && steps) {
				rg_json_del(e, "steps");
				if (!rg_json_set_int(e, "num_steps", sqlite3_column_int64(q, 6)) &&
				    !rg_json_set(e, "steps", steps))
					text = rg_json_dump(e, &n);
			} else {
				rg_json_free(steps);
			}
			rg_json_free(e);
			rc = !text ? RG_ENOMEM : rg_buf_append(&line, text, n);
			rc = rc ? rc : rg_buf_puts(&line, "\n");
			rg_free(text);
		}
		rc = rc ? rc : out(ud, line.data, line.len);
	}
	if (!rc && s != SQLITE_DONE)
		rc = rg_err_set(err, RG_EIO, "store", NULL, "query failed: %s", sqlite3_errmsg(db));
	else if (rc && !rg_err_is_set(err))
		rg_err_set(err, rc, NULL, NULL, rc == RG_ETOOBIG ? "export too large" : "export failed");
	rg_buf_free(&line);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return rc;
}
