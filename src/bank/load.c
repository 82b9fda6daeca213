/*
 * load.c - reading and validating the task bank from disk (see bank.h).
 *
 * Design: a load is a walk over sorted directory entries; each file is read with a
 * size cap (limits.h), parsed with core/json, and checked field by field by the
 * typed getters of read.c, which report through one context (file + JSON path), so every
 * rejection reads "tasks/code_review/easy/x/task.json: issues[1].lines: expected
 * [first, last] within 1..42, got [40, 50]". Validated values are copied into the
 * bank arena and the JSON tree is freed; nothing of jansson survives the load.
 *
 * Invariant: on failure nothing leaks and the caller gets NULL plus the first,
 * most specific error. The loader trusts no byte of a task file.
 */
#include "bank/bank.h"
#include "bank/bank_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/json.h"
#include "core/limits.h"
#include "core/text.h"
#include "core/alloc.h"

/* Arena ceiling: generous for RG_MAX_TASKS of RG_MAX_CODE_BYTES x2 plus metadata. */
#define BANK_ARENA_MAX ((size_t)1 << 30)

/* ------------------------------------------------------------------------ */
/* Lexicon                                                                  */
/* ------------------------------------------------------------------------ */

int rg__bank_load_lexicon(rg_bank *bank, const char *root, rg_err *err)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/lexicon", root);
	char **files;
	int nf = rg__bank_list_dir(dir, 0, &files, err);
	if (nf < 0)
		return err->code;
	const char *names[RG_MAX_LEXICON_CLASSES];
	rg_group classes[RG_MAX_LEXICON_CLASSES];
	size_t n = 0;
	int rc = RG_OK;
	for (int f = 0; f < nf && rc == RG_OK; f++) {
		size_t fl = strlen(files[f]);
		if (fl < 6 || strcmp(files[f] + fl - 5, ".json"))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, files[f]);
		size_t len;
		char *text = rg__bank_read_file(path, RG_MAX_TASK_FILE_BYTES, &len, err);
		if (!text) {
			rc = err->code;
			break;
		}
		rg_err jerr;
		rg_err_clear(&jerr);
		rg_json *doc = rg_json_parse(text, len, &jerr);
		rg_free(text);
		rg_bank_reader v = { .file = path, .err = err, .arena = bank->arena };
		const rg_json *cls = rg_json_get(doc, "classes");
		if (!doc) {
			rc = rg_err_set(err, RG_EINVAL, path, "json_invalid", "%s", jerr.msg);
		} else if (!rg_json_is_obj(cls)) {
			rc = rg__bank_fail(&v, "classes", "expected an object of class name -> phrases");
		} else {
			for (void *it = rg_json_iter(cls); it && rc == RG_OK;
			     it = rg_json_iter_next(cls, it)) {
				const char *name = rg_json_iter_key(it);
				char p[RG_ERR_FIELD_BYTES];
				snprintf(p, sizeof p, "classes.%s", name);
				if (n >= RG_MAX_LEXICON_CLASSES) {
					rc = rg__bank_fail(&v, p, "more than %s lexicon classes", "256");
					break;
				}
				for (size_t k = 0; k < n; k++)
					if (!strcmp(names[k], name))
						rc = rg__bank_fail(&v, p, "class \"%s\" is defined twice",
							  name);
				if (rc)
					break;
				rc = rg__bank_get_group(&v, rg_json_iter_value(it), p, RG_MAX_LEXICON_PHRASES,
					       &classes[n]);
				names[n] = rg_arena_strdup(bank->arena, name);
				if (!rc && !names[n])
					rc = rg_err_set(err, RG_ENOMEM, path, NULL, "out of memory");
				n++;
			}
		}
		rg_json_free(doc);
	}
	rg__bank_free_names(files, nf);
	if (rc)
		return rc;
	const char **nm = rg_arena_alloc(bank->arena, (n ? n : 1) * sizeof *nm);
	rg_group *cl = rg_arena_alloc(bank->arena, (n ? n : 1) * sizeof *cl);
	if (!nm || !cl)
		return rg_err_set(err, RG_ENOMEM, dir, NULL, "out of memory");
	memcpy(nm, names, n * sizeof *nm);
	memcpy(cl, classes, n * sizeof *cl);
	bank->lexicon.names = nm;
	bank->lexicon.classes = cl;
	bank->lexicon.n = n;
	return RG_OK;
}

/* ------------------------------------------------------------------------ */
/* Tasks                                                                    */
/* ------------------------------------------------------------------------ */

/* Split code into trimmed lines (arena copies) for the paste rule. */
int rg__bank_index_lines(rg_bank_reader *v, rg_task *t, const char *name)
{
	size_t n = 1;
	for (const char *p = t->code; *p; p++)
		if (*p == '\n' && p[1])
			n++;
	if (n > RG_MAX_CODE_LINES) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", t->dir ? t->dir : "", name);
		return rg_err_set(v->err, RG_EINVAL, path, NULL,
				  "%s has %zu lines; at most %d are allowed", name, n, RG_MAX_CODE_LINES);
	}
	const char **lines = rg_arena_alloc(v->arena, n * sizeof *lines);
	size_t *lens = rg_arena_alloc(v->arena, n * sizeof *lens);
	if (!lines || !lens)
		return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	const char *p = t->code;
	for (size_t i = 0; i < n; i++) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		size_t s, l;
		rg_text_trim(p, len, &s, &l);
		lines[i] = rg_arena_strndup(v->arena, p + s, l);
		lens[i] = l;
		if (!lines[i])
			return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
		p = e ? e + 1 : p + len;
	}
	t->n_lines = n;
	t->trimmed_lines = lines;
	t->trimmed_lens = lens;
	return RG_OK;
}

int rg__bank_load_issue(rg_bank_reader *v, const rg_lexicon *lex, const rg_json *j,
			const char *base, size_t n_lines, rg_issue *is)
{
	char p[RG_ERR_FIELD_BYTES];
#define PATH(k) (snprintf(p, sizeof p, "%s.%s", base, (k)), p)
	if (!rg_json_is_obj(j))
		return rg__bank_fail(v, base, "expected an object");
	if (!(is->id = rg__bank_get_str(v, j, "id", PATH("id"), 1, RG_MAX_ID_LEN, true)))
		return v->err->code;
	if (!rg__bank_is_id(is->id))
		return rg__bank_fail(v, PATH("id"), "expected [a-z0-9-]{3,64}, got \"%s\"", is->id);
	if (n_lines && rg__bank_get_lines(v, j, PATH("lines"), n_lines, is))
		return v->err->code;
	int ty = rg__bank_get_enum(v, j, "type", PATH("type"), rg_issue_type_parse,
			  "bug, logic_error, security_vulnerability");
	int sev = rg__bank_get_enum(v, j, "severity", PATH("severity"), rg_severity_parse,
			   "low, medium, high, critical");
	if (ty < 0 || sev < 0)
		return v->err->code;
	is->type = (enum rg_issue_type)ty;
	is->severity = (enum rg_severity)sev;
	const char *cls = rg__bank_get_str(v, j, "class", PATH("class"), 1, RG_MAX_ID_LEN, true);
	if (!cls)
		return v->err->code;
	is->lex_class = rg_lexicon_find(lex, cls);
	if (is->lex_class < 0)
		return rg__bank_fail(v, PATH("class"),
				     "unknown lexicon class \"%s\" (define it in the bank's lexicon directory)",
			    cls);
	is->cwe = rg__bank_get_str(v, j, "cwe", PATH("cwe"), 5, 16, is->type == RG_ISSUE_SECURITY);
	if (rg_err_is_set(v->err))
		return v->err->code;
	if (is->cwe) {
		const char *d = is->cwe + 4;
		bool digits = !strncmp(is->cwe, "CWE-", 4) && *d >= '1' && *d <= '9';
		while (digits && *++d)
			digits = *d >= '0' && *d <= '9';
		if (!digits)
			return rg__bank_fail(v, PATH("cwe"), "expected \"CWE-<number>\", got \"%s\"",
				    is->cwe);
	}
	if (rg__bank_get_groups(v, j, "concepts", PATH("concepts"), &is->concepts, &is->n_concepts) ||
	    rg__bank_get_groups(v, j, "fix_concepts", PATH("fix_concepts"), &is->fix_concepts,
		       &is->n_fix_concepts))
		return v->err->code;
	if (!(is->explanation = rg__bank_get_str(v, j, "explanation", PATH("explanation"), 1,
					RG_MAX_EXPLANATION_LEN, true)) ||
	    !(is->fix = rg__bank_get_str(v, j, "fix", PATH("fix"), 1, RG_MAX_EXPLANATION_LEN, true)))
		return v->err->code;
#undef PATH
	return RG_OK;
}

const char *rg__bank_load_code(rg_bank_reader *v, const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	size_t len;
	char *text = rg__bank_read_file(path, RG_MAX_CODE_BYTES, &len, v->err);
	if (!text)
		return NULL;
	const char *copy = len ? rg_arena_strndup(v->arena, text, len) : NULL;
	rg_free(text);
	if (!len)
		rg_err_set(v->err, RG_EINVAL, path, NULL, "file is empty");
	else if (!copy)
		rg_err_set(v->err, RG_ENOMEM, path, NULL, "out of memory");
	return copy;
}

rg_json *rg__bank_read_json(const char *path, rg_err *err)
{
	size_t len;
	char *text = rg__bank_read_file(path, RG_MAX_TASK_FILE_BYTES, &len, err);
	if (!text)
		return NULL;
	rg_err jerr;
	rg_err_clear(&jerr);
	rg_json *doc = rg_json_parse(text, len, &jerr);
	rg_free(text);
	if (!doc)
		rg_err_set(err, RG_EINVAL, path, "json_invalid", "%s", jerr.msg);
	else if (!rg_json_is_obj(doc)) {
		rg_json_free(doc);
		doc = NULL;
		char field[RG_ERR_FIELD_BYTES];
		snprintf(field, sizeof field, "%s: $", path);
		rg_err_set(err, RG_EINVAL, field, NULL, "expected a JSON object");
	}
	return doc;
}

int rg__bank_load_common(rg_bank_reader *v, const rg_json *doc, const char *family,
			 const char *dir_id, enum rg_difficulty dir_difficulty, rg_task *t)
{
	if (!(t->id = rg__bank_get_str(v, doc, "id", "id", 3, RG_MAX_ID_LEN, true)))
		return v->err->code;
	if (!rg__bank_is_id(t->id))
		return rg__bank_fail(v, "id", "expected [a-z0-9-]{3,64}, got \"%s\"", t->id);
	if (strcmp(t->id, dir_id))
		return rg__bank_fail(v, "id", "must equal the directory name \"%s\"", dir_id);
	if (!(t->family = rg__bank_get_str(v, doc, "family", "family", 1, 32, true)))
		return v->err->code;
	if (strcmp(t->family, family))
		return rg__bank_fail(v, "family", "expected \"%s\" (the directory's family), got \"%s\"",
				     family, t->family);
	int d = rg__bank_get_enum(v, doc, "difficulty", "difficulty", rg_difficulty_parse,
				  "easy, medium, hard");
	if (d < 0)
		return v->err->code;
	if (d != (int)dir_difficulty)
		return rg__bank_fail(v, "difficulty", "must equal the parent directory \"%s\"",
				     rg_difficulty_name(dir_difficulty));
	t->difficulty = (enum rg_difficulty)d;
	if (!(t->title = rg__bank_get_str(v, doc, "title", "title", 1, RG_MAX_TITLE_LEN, true)))
		return v->err->code;
	const char *split = rg__bank_get_str(v, doc, "split", "split", 1, 16, false);
	if (rg_err_is_set(v->err))
		return v->err->code;
	if (split && strcmp(split, "train") && strcmp(split, "eval"))
		return rg__bank_fail(v, "split", "expected \"train\" or \"eval\", got \"%s\"", split);
	t->eval_split = split && !strcmp(split, "eval");
	return RG_OK;
}

/* test.py must exist; `tasks check` runs it. */
int rg__bank_need_test(const char *dir, rg_err *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/test.py", dir);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return rg_err_set(err, RG_EINVAL, path, NULL, "missing test script");
	return RG_OK;
}

int rg__bank_load_task(rg_bank *bank, const char *dir, const char *dir_id,
		       enum rg_difficulty dir_difficulty, rg_task *t, rg_err *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/task.json", dir);
	rg_bank_reader v = { .file = path, .err = err, .arena = bank->arena };
	rg_json *doc = rg__bank_read_json(path, err);
	if (!doc)
		return err->code;
	int rc = RG_EINVAL;
	if (rg__bank_load_common(&v, doc, "code_review", dir_id, dir_difficulty, t))
		goto out;
	if (!(t->description = rg__bank_get_str(&v, doc, "description", "description", 1,
						RG_MAX_DESCRIPTION_LEN, true)) ||
	    !(t->language = rg__bank_get_str(&v, doc, "language", "language", 1, 32, true)))
		goto out;
	if (strcmp(t->language, "python")) {
		rg__bank_fail(&v, "language", "expected \"python\", got \"%s\"", t->language);
		goto out;
	}
	if (!(t->dir = rg_arena_strdup(bank->arena, dir)) ||
	    !(t->code = rg__bank_load_code(&v, dir, "code.py")) ||
	    !(t->fixed = rg__bank_load_code(&v, dir, "fixed.py")) ||
	    rg__bank_index_lines(&v, t, "code.py"))
		goto out;
	const rg_json *issues = rg_json_get(doc, "issues");
	if (!rg_json_is_arr(issues) || rg_json_size(issues) == 0 ||
	    rg_json_size(issues) > RG_MAX_ISSUES) {
		rg__bank_fail(&v, "issues", "expected an array of 1..%s issues", "16");
		goto out;
	}
	size_t ni = rg_json_size(issues);
	rg_issue *is = rg_arena_alloc(bank->arena, ni * sizeof *is);
	if (!is) {
		rg_err_set(err, RG_ENOMEM, path, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ni; i++) {
		char p[64];
		snprintf(p, sizeof p, "issues[%zu]", i);
		if (rg__bank_load_issue(&v, &bank->lexicon, rg_json_at(issues, i), p, t->n_lines,
					&is[i]))
			goto out;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(is[k].id, is[i].id)) {
				snprintf(p, sizeof p, "issues[%zu].id", i);
				rg__bank_fail(&v, p, "duplicate issue id \"%s\"", is[i].id);
				goto out;
			}
	}
	t->issues = is;
	t->n_issues = ni;
	rc = rg__bank_need_test(dir, err);
out:
	rg_json_free(doc);
	return rc && err->code ? err->code : rc; /* ENOMEM stays ENOMEM */
}

/* ------------------------------------------------------------------------ */
/* The walk                                                                 */
/* ------------------------------------------------------------------------ */

int rg__bank_load_family(rg_bank *bank, const char *root, const char *family, rg_err *err)
{
	for (int d = 0; d < RG_DIFFICULTY__COUNT; d++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/%s/%s", root, family, rg_difficulty_name(d));
		char **ids;
		int n = rg__bank_list_dir(dir, 1, &ids, err);
		if (n < 0)
			return err->code;
		for (int i = 0; i < n; i++) {
			char tdir[4096];
			snprintf(tdir, sizeof tdir, "%s/%s", dir, ids[i]);
			int rc = rg__bank_add_task(bank, family, tdir, ids[i], (enum rg_difficulty)d,
						   err);
			if (rc) {
				rg__bank_free_names(ids, n);
				return rc;
			}
		}
		rg__bank_free_names(ids, n);
	}
	return RG_OK;
}

rg_arena *rg__bank_arena_create(void)
{
	return rg_arena_create(BANK_ARENA_MAX);
}
