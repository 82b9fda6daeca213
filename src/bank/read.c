/*
 * read.c - the task bank's reading primitives: files read whole under a size
 * cap (no NUL bytes), directories listed in sorted order, and typed getters that
 * validate one JSON field each and report through one rg_bank_reader (file +
 * JSON path), so every rejection names file, field and reason. Used by the
 * lexicon and task loaders in load.c; internal to the bank (bank_int.h).
 */
#include "bank/bank_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/text.h"

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
int rg__bank_list_dir(const char *dir, int want_dirs, char ***out, rg_err *err)
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
			goto rg__bank_fail;
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
rg__bank_fail:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		rg_free(names[i]);
	rg_free(names);
	return -1;
}

void rg__bank_free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		rg_free(names[i]);
	rg_free(names);
}

/* ------------------------------------------------------------------------ */
/* Typed getters: each validates one field and reports file + path on error */
/* ------------------------------------------------------------------------ */

int rg__bank_fail(rg_bank_reader *v, const char *path, const char *fmt, ...)
{
	char field[RG_ERR_FIELD_BYTES];
	char msg[RG_ERR_MSG_BYTES];
	/* No file: the data came over the wire (custom tasks); the path is the field. */
	if (v->file)
		snprintf(field, sizeof field, "%s: %s", v->file, path);
	else
		snprintf(field, sizeof field, "%s", path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return rg_err_set(v->err, RG_EINVAL, field, NULL, "%s", msg);
}

/* A string field of length [min, max]; copied into the arena. */
const char *rg__bank_get_str(rg_bank_reader *v, const rg_json *obj, const char *key,
			     const char *path, size_t min, size_t max, bool required)
{
	const rg_json *j = rg_json_get(obj, key);
	if (!j) {
		if (required)
			rg__bank_fail(v, path, "required field is missing");
		return NULL;
	}
	if (!rg_json_is_str(j)) {
		rg__bank_fail(v, path, "expected a string, got %s", rg_json_type_name(j));
		return NULL;
	}
	size_t n = rg_json_str_len(j);
	if (n < min || n > max) {
		char range[64];
		snprintf(range, sizeof range, "%zu..%zu", min, max);
		rg__bank_fail(v, path, "expected a string of length %s, got length %lld", range,
		     (long long)n);
		return NULL;
	}
	if (strlen(rg_json_str_val(j)) != n) {
		rg__bank_fail(v, path, "string contains a NUL character");
		return NULL;
	}
	const char *s = rg_arena_strndup(v->arena, rg_json_str_val(j), n);
	if (!s)
		rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	return s;
}

bool rg__bank_is_name(const char *s, size_t min)
{
	size_t n = strlen(s);
	if (n < min || n > RG_MAX_ID_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

bool rg__bank_is_id(const char *s)
{
	return rg__bank_is_name(s, 3);
}

/* An enum field parsed with parse(); returns the value or -1. */
int rg__bank_get_enum(rg_bank_reader *v, const rg_json *obj, const char *key, const char *path,
		      int (*parse)(const char *), const char *allowed)
{
	const rg_json *j = rg_json_get(obj, key);
	if (!j)
		return rg__bank_fail(v, path, "required field is missing; expected one of %s", allowed),
		       -1;
	int r = rg_json_is_str(j) ? parse(rg_json_str_val(j)) : -1;
	if (r < 0)
		return rg__bank_fail(v, path, "expected one of %s", allowed), -1;
	return r;
}

/* Compile a list of phrases (array of strings) into a group. */
int rg__bank_get_group(rg_bank_reader *v, const rg_json *arr, const char *path,
		       size_t max_phrases, rg_group *out)
{
	if (!rg_json_is_arr(arr) || rg_json_size(arr) == 0 || rg_json_size(arr) > max_phrases)
		return rg__bank_fail(v, path, "expected an array of 1..%zu phrases", max_phrases);
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
			return rg__bank_fail(v, p, "expected a phrase of 1..%s characters", "80");
		char buf[RG_MAX_PHRASE_BYTES + 3];
		size_t len = rg_text_compile_phrase(rg_json_str_val(s), rg_json_str_len(s), buf,
						    sizeof buf);
		if (len == 0)
			return rg__bank_fail(v, p, "phrase \"%s\" has no letters or digits",
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
int rg__bank_get_groups(rg_bank_reader *v, const rg_json *obj, const char *key,
			const char *path, const rg_group **out, size_t *n_out)
{
	const rg_json *arr = rg_json_get(obj, key);
	if (!rg_json_is_arr(arr) || rg_json_size(arr) == 0 || rg_json_size(arr) > RG_MAX_GROUPS)
		return rg__bank_fail(v, path, "expected an array of 1..8 groups (arrays of phrases)");
	size_t n = rg_json_size(arr);
	rg_group *g = rg_arena_alloc(v->arena, n * sizeof *g);
	if (!g)
		return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		char p[RG_ERR_FIELD_BYTES];
		snprintf(p, sizeof p, "%s[%zu]", path, i);
		int rc = rg__bank_get_group(v, rg_json_at(arr, i), p, RG_MAX_PHRASES, &g[i]);
		if (rc)
			return rc;
	}
	*out = g;
	*n_out = n;
	return RG_OK;
}

/* "lines": [first, last] within 1..n_lines ("line": N is shorthand for [N, N]). */
int rg__bank_get_lines(rg_bank_reader *v, const rg_json *obj, const char *path, size_t n_lines,
		       rg_issue *is)
{
	const rg_json *lines = rg_json_get(obj, "lines");
	const rg_json *line = rg_json_get(obj, "line");
	long long a = 0, b = 0;
	if (rg_json_is_arr(lines) && rg_json_size(lines) == 2 &&
	    rg_json_is_int(rg_json_at(lines, 0)) && rg_json_is_int(rg_json_at(lines, 1))) {
		a = rg_json_int_val(rg_json_at(lines, 0));
		b = rg_json_int_val(rg_json_at(lines, 1));
	} else if (!lines && rg_json_is_int(line)) {
		a = b = rg_json_int_val(line);
	} else {
		return rg__bank_fail(v, path, "expected [first, last] integers (or \"line\": N)");
	}
	if (a < 1 || b < a || b > (long long)n_lines) {
		char got[64];
		snprintf(got, sizeof got, "[%lld, %lld]", a, b);
		return rg__bank_fail(v, path, "expected 1 <= first <= last <= %zu, got %s", n_lines,
				     got);
	}
	is->first_line = (int)a;
	is->last_line = (int)b;
	return RG_OK;
}
