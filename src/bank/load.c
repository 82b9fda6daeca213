/*
 * load.c - reading and validating the task bank from disk (see bank.h).
 *
 * Design: a load is a walk over sorted directory entries; each file is read with a
 * size cap (limits.h), parsed with core/json, and checked field by field by small
 * typed getters that all report through one context (file + JSON path), so every
 * rejection reads "tasks/code_review/easy/x/task.json: issues[1].lines: expected
 * [first, last] within 1..42, got [40, 50]". Validated values are copied into the
 * bank arena and the JSON tree is freed; nothing of jansson survives the load.
 *
 * Invariant: on failure nothing leaks and the caller gets NULL plus the first,
 * most specific error. The loader trusts no byte of a task file.
 */
#include "bank/bank.h"
#include "bank/bank_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
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

typedef struct vctx {
	const char *file; /* path shown in errors */
	rg_err *err;
	rg_arena *arena;
} vctx;

/* ------------------------------------------------------------------------ */
/* Files                                                                    */
/* ------------------------------------------------------------------------ */

char *rg__bank_read_file(const char *path, size_t max, size_t *len, rg_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		rg_err_set(err, RG_EIO, path, NULL, "cannot open: %s", strerror(errno));
		return NULL;
	}
	char *data = rg_malloc(max + 1);
	if (!data) {
		fclose(f);
		rg_err_set(err, RG_ENOMEM, path, NULL, "out of memory");
		return NULL;
	}
	size_t n = fread(data, 1, max + 1, f);
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		rg_free(data);
		rg_err_set(err, RG_EIO, path, NULL, "read error");
		return NULL;
	}
	if (n > max) {
		rg_free(data);
		rg_err_set(err, RG_ETOOBIG, path, NULL, "file larger than %zu bytes", max);
		return NULL;
	}
	data[n] = '\0';
	if (memchr(data, '\0', n)) {
		rg_free(data);
		rg_err_set(err, RG_EINVAL, path, NULL, "file contains a NUL byte");
		return NULL;
	}
	*len = n;
	return data;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the entries of dir (excluding dot-files); want_dirs selects
 * directories, otherwise regular files. Returns count or -1 with err. */
static int list_dir(const char *dir, int want_dirs, char ***out, rg_err *err)
{
	DIR *d = opendir(dir);
	*out = NULL;
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return rg_err_set(err, RG_EIO, dir, NULL, "cannot open directory: %s",
				  strerror(errno)), -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		struct stat st;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
		    stat(path, &st) != 0)
			continue;
		if (want_dirs ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
			continue;
		if (n >= RG_MAX_TASKS) {
			rg_err_set(err, RG_ETOOBIG, dir, NULL, "more than %d entries",
				   RG_MAX_TASKS);
			goto fail;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **p = rg_realloc(names, cap * sizeof *p);
			if (!p)
				goto nomem;
			names = p;
		}
		names[n] = rg_strdup(e->d_name);
		if (!names[n])
			goto nomem;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	*out = names;
	return (int)n;
nomem:
	rg_err_set(err, RG_ENOMEM, dir, NULL, "out of memory");
fail:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		rg_free(names[i]);
	rg_free(names);
	return -1;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		rg_free(names[i]);
	rg_free(names);
}

/* ------------------------------------------------------------------------ */
/* Typed getters: each validates one field and reports file + path on error */
/* ------------------------------------------------------------------------ */

static int fail(vctx *v, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(vctx *v, const char *path, const char *fmt, ...)
{
	char field[RG_ERR_FIELD_BYTES];
	char msg[RG_ERR_MSG_BYTES];
	snprintf(field, sizeof field, "%s: %s", v->file, path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return rg_err_set(v->err, RG_EINVAL, field, NULL, "%s", msg);
}

/* A string field of length [min, max]; copied into the arena. */
static const char *get_str(vctx *v, const rg_json *obj, const char *key, const char *path,
			   size_t min, size_t max, bool required)
{
	const rg_json *j = rg_json_get(obj, key);
	if (!j) {
		if (required)
			fail(v, path, "required field is missing");
		return NULL;
	}
	if (!rg_json_is_str(j)) {
		fail(v, path, "expected a string, got %s", rg_json_type_name(j));
		return NULL;
	}
	size_t n = rg_json_str_len(j);
	if (n < min || n > max) {
		char range[64];
		snprintf(range, sizeof range, "%zu..%zu", min, max);
		fail(v, path, "expected a string of length %s, got length %lld", range,
		     (long long)n);
		return NULL;
	}
	if (strlen(rg_json_str_val(j)) != n) {
		fail(v, path, "string contains a NUL character");
		return NULL;
	}
	const char *s = rg_arena_strndup(v->arena, rg_json_str_val(j), n);
	if (!s)
		rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	return s;
}

static bool is_id(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > RG_MAX_ID_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* An enum field parsed with parse(); returns the value or -1. */
static int get_enum(vctx *v, const rg_json *obj, const char *key, const char *path,
		    int (*parse)(const char *), const char *allowed)
{
	const rg_json *j = rg_json_get(obj, key);
	if (!j)
		return fail(v, path, "required field is missing; expected one of %s", allowed),
		       -1;
	int r = rg_json_is_str(j) ? parse(rg_json_str_val(j)) : -1;
	if (r < 0)
		return fail(v, path, "expected one of %s", allowed), -1;
	return r;
}

/* Compile a list of phrases (array of strings) into a group. */
static int get_group(vctx *v, const rg_json *arr, const char *path, size_t max_phrases,
		     rg_group *out)
{
	if (!rg_json_is_arr(arr) || rg_json_size(arr) == 0 || rg_json_size(arr) > max_phrases)
		return fail(v, path, "expected an array of 1..%zu phrases", max_phrases);
	size_t n = rg_json_size(arr);
	rg_phrase *ph = rg_arena_alloc(v->arena, n * sizeof *ph);
	if (!ph)
		return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const rg_json *s = rg_json_at(arr, i);
		char p[RG_ERR_FIELD_BYTES];
		snprintf(p, sizeof p, "%s[%zu]", path, i);
		if (!rg_json_is_str(s) || rg_json_str_len(s) == 0 ||
		    rg_json_str_len(s) > RG_MAX_PHRASE_BYTES)
			return fail(v, p, "expected a phrase of 1..%s characters", "80");
		char buf[RG_MAX_PHRASE_BYTES + 3];
		size_t len = rg_text_compile_phrase(rg_json_str_val(s), rg_json_str_len(s), buf,
						    sizeof buf);
		if (len == 0)
			return fail(v, p, "phrase \"%s\" has no letters or digits",
				    rg_json_str_val(s));
		ph[i].text = rg_arena_strndup(v->arena, buf, len);
		ph[i].len = len;
		if (!ph[i].text)
			return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	}
	out->phrases = ph;
	out->n = n;
	return RG_OK;
}

/* An array of 1..RG_MAX_GROUPS groups. */
static int get_groups(vctx *v, const rg_json *obj, const char *key, const char *path,
		      const rg_group **out, size_t *n_out)
{
	const rg_json *arr = rg_json_get(obj, key);
	if (!rg_json_is_arr(arr) || rg_json_size(arr) == 0 || rg_json_size(arr) > RG_MAX_GROUPS)
		return fail(v, path, "expected an array of 1..8 groups (arrays of phrases)");
	size_t n = rg_json_size(arr);
	rg_group *g = rg_arena_alloc(v->arena, n * sizeof *g);
	if (!g)
		return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		char p[RG_ERR_FIELD_BYTES];
		snprintf(p, sizeof p, "%s[%zu]", path, i);
		int rc = get_group(v, rg_json_at(arr, i), p, RG_MAX_PHRASES, &g[i]);
		if (rc)
			return rc;
	}
	*out = g;
	*n_out = n;
	return RG_OK;
}

/* ------------------------------------------------------------------------ */
/* Lexicon                                                                  */
/* ------------------------------------------------------------------------ */

int rg__bank_load_lexicon(rg_bank *bank, const char *root, rg_err *err)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/lexicon", root);
	char **files;
	int nf = list_dir(dir, 0, &files, err);
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
		vctx v = { .file = path, .err = err, .arena = bank->arena };
		const rg_json *cls = rg_json_get(doc, "classes");
		if (!doc) {
			rc = rg_err_set(err, RG_EINVAL, path, "json_invalid", "%s", jerr.msg);
		} else if (!rg_json_is_obj(cls)) {
			rc = fail(&v, "classes", "expected an object of class name -> phrases");
		} else {
			for (void *it = rg_json_iter(cls); it && rc == RG_OK;
			     it = rg_json_iter_next(cls, it)) {
				const char *name = rg_json_iter_key(it);
				char p[RG_ERR_FIELD_BYTES];
				snprintf(p, sizeof p, "classes.%s", name);
				if (n >= RG_MAX_LEXICON_CLASSES) {
					rc = fail(&v, p, "more than %s lexicon classes", "256");
					break;
				}
				for (size_t k = 0; k < n; k++)
					if (!strcmp(names[k], name))
						rc = fail(&v, p, "class \"%s\" is defined twice",
							  name);
				if (rc)
					break;
				rc = get_group(&v, rg_json_iter_value(it), p, RG_MAX_LEXICON_PHRASES,
					       &classes[n]);
				names[n] = rg_arena_strdup(bank->arena, name);
				if (!rc && !names[n])
					rc = rg_err_set(err, RG_ENOMEM, path, NULL, "out of memory");
				n++;
			}
		}
		rg_json_free(doc);
	}
	free_names(files, nf);
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
static int index_lines(vctx *v, rg_task *t)
{
	size_t n = 1;
	for (const char *p = t->code; *p; p++)
		if (*p == '\n' && p[1])
			n++;
	if (n > RG_MAX_CODE_LINES) {
		char path[4200];
		snprintf(path, sizeof path, "%s/code.py", t->dir);
		return rg_err_set(v->err, RG_EINVAL, path, NULL,
				  "code.py has %zu lines; at most %d are allowed", n, RG_MAX_CODE_LINES);
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

static int load_issue(vctx *v, const rg_bank *bank, const rg_json *j, size_t idx,
		      const rg_task *t, rg_issue *is)
{
	char base[64], p[RG_ERR_FIELD_BYTES];
	snprintf(base, sizeof base, "issues[%zu]", idx);
#define PATH(k) (snprintf(p, sizeof p, "%s.%s", base, (k)), p)
	if (!rg_json_is_obj(j))
		return fail(v, base, "expected an object");
	if (!(is->id = get_str(v, j, "id", PATH("id"), 1, RG_MAX_ID_LEN, true)))
		return v->err->code;
	if (!is_id(is->id))
		return fail(v, PATH("id"), "expected [a-z0-9-]{3,64}, got \"%s\"", is->id);
	/* lines: [first, last]; "line": N is shorthand for [N, N]. */
	const rg_json *lines = rg_json_get(j, "lines");
	const rg_json *line = rg_json_get(j, "line");
	long long a = 0, b = 0;
	if (rg_json_is_arr(lines) && rg_json_size(lines) == 2 &&
	    rg_json_is_int(rg_json_at(lines, 0)) && rg_json_is_int(rg_json_at(lines, 1))) {
		a = rg_json_int_val(rg_json_at(lines, 0));
		b = rg_json_int_val(rg_json_at(lines, 1));
	} else if (!lines && rg_json_is_int(line)) {
		a = b = rg_json_int_val(line);
	} else {
		return fail(v, PATH("lines"), "expected [first, last] integers (or \"line\": N)");
	}
	if (a < 1 || b < a || b > (long long)t->n_lines) {
		char got[64];
		snprintf(got, sizeof got, "[%lld, %lld]", a, b);
		return fail(v, PATH("lines"), "expected 1 <= first <= last <= %zu, got %s",
			    t->n_lines, got);
	}
	is->first_line = (int)a;
	is->last_line = (int)b;
	int ty = get_enum(v, j, "type", PATH("type"), rg_issue_type_parse,
			  "bug, logic_error, security_vulnerability");
	int sev = get_enum(v, j, "severity", PATH("severity"), rg_severity_parse,
			   "low, medium, high, critical");
	if (ty < 0 || sev < 0)
		return v->err->code;
	is->type = (enum rg_issue_type)ty;
	is->severity = (enum rg_severity)sev;
	const char *cls = get_str(v, j, "class", PATH("class"), 1, RG_MAX_ID_LEN, true);
	if (!cls)
		return v->err->code;
	is->lex_class = rg_lexicon_find(&bank->lexicon, cls);
	if (is->lex_class < 0)
		return fail(v, PATH("class"), "unknown lexicon class \"%s\" (define it in the bank's lexicon directory)",
			    cls);
	is->cwe = get_str(v, j, "cwe", PATH("cwe"), 5, 16, is->type == RG_ISSUE_SECURITY);
	if (rg_err_is_set(v->err))
		return v->err->code;
	if (is->cwe) {
		const char *d = is->cwe + 4;
		bool digits = !strncmp(is->cwe, "CWE-", 4) && *d >= '1' && *d <= '9';
		while (digits && *++d)
			digits = *d >= '0' && *d <= '9';
		if (!digits)
			return fail(v, PATH("cwe"), "expected \"CWE-<number>\", got \"%s\"",
				    is->cwe);
	}
	if (get_groups(v, j, "concepts", PATH("concepts"), &is->concepts, &is->n_concepts) ||
	    get_groups(v, j, "fix_concepts", PATH("fix_concepts"), &is->fix_concepts,
		       &is->n_fix_concepts))
		return v->err->code;
	if (!(is->explanation = get_str(v, j, "explanation", PATH("explanation"), 1,
					RG_MAX_EXPLANATION_LEN, true)) ||
	    !(is->fix = get_str(v, j, "fix", PATH("fix"), 1, RG_MAX_EXPLANATION_LEN, true)))
		return v->err->code;
#undef PATH
	return RG_OK;
}

static const char *load_code(vctx *v, const char *dir, const char *name)
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

int rg__bank_load_task(rg_bank *bank, const char *dir, const char *dir_id,
		       enum rg_difficulty dir_difficulty, rg_task *t, rg_err *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/task.json", dir);
	vctx v = { .file = path, .err = err, .arena = bank->arena };
	size_t len;
	char *text = rg__bank_read_file(path, RG_MAX_TASK_FILE_BYTES, &len, err);
	if (!text)
		return err->code;
	rg_err jerr;
	rg_err_clear(&jerr);
	rg_json *doc = rg_json_parse(text, len, &jerr);
	rg_free(text);
	if (!doc)
		return rg_err_set(err, RG_EINVAL, path, "json_invalid", "%s", jerr.msg);
	int rc = RG_EINVAL;
	if (!rg_json_is_obj(doc)) {
		fail(&v, "$", "expected a JSON object");
		goto out;
	}
	if (!(t->id = get_str(&v, doc, "id", "id", 3, RG_MAX_ID_LEN, true)))
		goto out;
	if (!is_id(t->id)) {
		fail(&v, "id", "expected [a-z0-9-]{3,64}, got \"%s\"", t->id);
		goto out;
	}
	if (strcmp(t->id, dir_id)) {
		fail(&v, "id", "must equal the directory name \"%s\"", dir_id);
		goto out;
	}
	if (!(t->family = get_str(&v, doc, "family", "family", 1, 32, true)))
		goto out;
	if (strcmp(t->family, "code_review")) {
		fail(&v, "family", "expected \"code_review\", got \"%s\"", t->family);
		goto out;
	}
	int d = get_enum(&v, doc, "difficulty", "difficulty", rg_difficulty_parse,
			 "easy, medium, hard");
	if (d < 0)
		goto out;
	if (d != (int)dir_difficulty) {
		fail(&v, "difficulty", "must equal the parent directory \"%s\"",
		     rg_difficulty_name(dir_difficulty));
		goto out;
	}
	t->difficulty = (enum rg_difficulty)d;
	if (!(t->title = get_str(&v, doc, "title", "title", 1, RG_MAX_TITLE_LEN, true)) ||
	    !(t->description = get_str(&v, doc, "description", "description", 1,
				       RG_MAX_DESCRIPTION_LEN, true)) ||
	    !(t->language = get_str(&v, doc, "language", "language", 1, 32, true)))
		goto out;
	if (strcmp(t->language, "python")) {
		fail(&v, "language", "expected \"python\", got \"%s\"", t->language);
		goto out;
	}
	const char *split = get_str(&v, doc, "split", "split", 1, 16, false);
	if (rg_err_is_set(err))
		goto out;
	if (split && strcmp(split, "train") && strcmp(split, "eval")) {
		fail(&v, "split", "expected \"train\" or \"eval\", got \"%s\"", split);
		goto out;
	}
	t->eval_split = split && !strcmp(split, "eval");
	if (!(t->dir = rg_arena_strdup(bank->arena, dir)) ||
	    !(t->code = load_code(&v, dir, "code.py")) ||
	    !(t->fixed = load_code(&v, dir, "fixed.py")) || index_lines(&v, t))
		goto out;
	snprintf(path, sizeof path, "%s/task.json", dir); /* v.file again */
	const rg_json *issues = rg_json_get(doc, "issues");
	if (!rg_json_is_arr(issues) || rg_json_size(issues) == 0 ||
	    rg_json_size(issues) > RG_MAX_ISSUES) {
		fail(&v, "issues", "expected an array of 1..%s issues", "16");
		goto out;
	}
	size_t ni = rg_json_size(issues);
	rg_issue *is = rg_arena_alloc(bank->arena, ni * sizeof *is);
	if (!is) {
		rg_err_set(err, RG_ENOMEM, path, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ni; i++) {
		if (load_issue(&v, bank, rg_json_at(issues, i), i, t, &is[i]))
			goto out;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(is[k].id, is[i].id)) {
				char p[64];
				snprintf(p, sizeof p, "issues[%zu].id", i);
				fail(&v, p, "duplicate issue id \"%s\"", is[i].id);
				goto out;
			}
	}
	t->issues = is;
	t->n_issues = ni;
	/* test.py must exist; `tasks check` runs it. */
	snprintf(path, sizeof path, "%s/test.py", dir);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		rg_err_set(err, RG_EINVAL, path, NULL, "missing test script");
		goto out;
	}
	rc = RG_OK;
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
		int n = list_dir(dir, 1, &ids, err);
		if (n < 0)
			return err->code;
		for (int i = 0; i < n; i++) {
			char tdir[4096];
			snprintf(tdir, sizeof tdir, "%s/%s", dir, ids[i]);
			int rc = rg__bank_add_task(bank, tdir, ids[i], (enum rg_difficulty)d, err);
			if (rc) {
				free_names(ids, n);
				return rc;
			}
		}
		free_names(ids, n);
	}
	return RG_OK;
}

rg_arena *rg__bank_arena_create(void)
{
	return rg_arena_create(BANK_ARENA_MAX);
}
