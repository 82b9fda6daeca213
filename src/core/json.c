/*
 * json.c - the jansson adapter (see json.h for the contract).
 */
#include "core/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

/* jansson allocates through core/alloc, so allocation-failure tests reach JSON
 * building too and every JSON string is released with rg_free. A constructor
 * sets this before main and before any test, once per process. */
__attribute__((constructor)) static void json_use_rg_alloc(void)
{
	json_set_alloc_funcs(rg_malloc, rg_free);
}

rg_json *rg_json_parse(const char *s, size_t n, rg_err *err)
{
	json_error_t je;
	json_t *v = json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY,
			       &je);
	if (!v) {
		rg_err_set(err, RG_EJSON, NULL, "json_invalid",
			   "Invalid JSON at line %d column %d (char %d): %s", je.line, je.column,
			   je.position, je.text);
		return NULL;
	}
	return v;
}

char *rg_json_dump(const rg_json *v, size_t *len)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY);
	if (s && len)
		*len = strlen(s);
	return s;
}

char *rg_json_dump_sorted(const rg_json *v, size_t *len)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15) |
				       JSON_ENCODE_ANY);
	if (s && len)
		*len = strlen(s);
	return s;
}

void rg_json_free(rg_json *v)
{
	json_decref(v);
}

rg_json *rg_json_ref(rg_json *v)
{
	return json_incref(v);
}

rg_json *rg_json_deep_copy(const rg_json *v)
{
	return json_deep_copy(v);
}

rg_json *rg_json_obj(void) { return json_object(); }
rg_json *rg_json_arr(void) { return json_array(); }
rg_json *rg_json_str(const char *s) { return json_stringn(s, strlen(s)); }
rg_json *rg_json_strn(const char *s, size_t n) { return json_stringn(s, n); }
rg_json *rg_json_int(long long v) { return json_integer((json_int_t)v); }
rg_json *rg_json_real(double v) { return json_real(v); }
rg_json *rg_json_bool(bool v) { return json_boolean(v); }
rg_json *rg_json_null(void) { return json_null(); }

int rg_json_set(rg_json *obj, const char *key, rg_json *val)
{
	if (!val)
		return RG_ENOMEM;
	return json_object_set_new(obj, key, val) ? RG_ENOMEM : RG_OK;
}

int rg_json_push(rg_json *arr, rg_json *val)
{
	if (!val)
		return RG_ENOMEM;
	return json_array_append_new(arr, val) ? RG_ENOMEM : RG_OK;
}

void rg_json_del(rg_json *obj, const char *key)
{
	(void)json_object_del(obj, key); /* -1 only means "was absent" */
}

rg_json *rg_json_get(const rg_json *obj, const char *key)
{
	return json_is_object(obj) ? json_object_get(obj, key) : NULL;
}

size_t rg_json_size(const rg_json *v)
{
	if (json_is_array(v))
		return json_array_size(v);
	if (json_is_object(v))
		return json_object_size(v);
	return 0;
}

rg_json *rg_json_at(const rg_json *arr, size_t i)
{
	return json_array_get(arr, i);
}

bool rg_json_is_obj(const rg_json *v) { return json_is_object(v); }
bool rg_json_is_arr(const rg_json *v) { return json_is_array(v); }
bool rg_json_is_str(const rg_json *v) { return json_is_string(v); }
bool rg_json_is_int(const rg_json *v) { return json_is_integer(v); }
bool rg_json_is_real(const rg_json *v) { return json_is_real(v); }
bool rg_json_is_null(const rg_json *v) { return json_is_null(v); }
bool rg_json_is_bool(const rg_json *v) { return json_is_boolean(v); }
const char *rg_json_str_val(const rg_json *v) { return json_string_value(v); }
size_t rg_json_str_len(const rg_json *v) { return json_string_length(v); }
long long rg_json_int_val(const rg_json *v) { return (long long)json_integer_value(v); }
double rg_json_real_val(const rg_json *v) { return json_number_value(v); }
bool rg_json_bool_val(const rg_json *v) { return json_is_true(v); }

const char *rg_json_type_name(const rg_json *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

void *rg_json_iter(const rg_json *obj)
{
	return json_object_iter((json_t *)obj);
}

void *rg_json_iter_next(const rg_json *obj, void *it)
{
	return json_object_iter_next((json_t *)obj, it);
}

const char *rg_json_iter_key(void *it) { return json_object_iter_key(it); }
rg_json *rg_json_iter_value(void *it) { return json_object_iter_value(it); }

int rg_json_set_str(rg_json *obj, const char *key, const char *s)
{
	return rg_json_set(obj, key, s ? rg_json_str(s) : rg_json_null());
}

int rg_json_set_int(rg_json *obj, const char *key, long long v)
{
	return rg_json_set(obj, key, rg_json_int(v));
}

int rg_json_set_real(rg_json *obj, const char *key, double v)
{
	return rg_json_set(obj, key, rg_json_real(v));
}

int rg_json_set_bool(rg_json *obj, const char *key, bool v)
{
	return rg_json_set(obj, key, rg_json_bool(v));
}

int rg_json_set_null(rg_json *obj, const char *key)
{
	return rg_json_set(obj, key, rg_json_null());
}
