/*
 * test_json.c - reviewgym's JSON layer (core/json.h): strict parsing (errors carry
 * line/column and kind "json_invalid", duplicate keys and trailing data rejected),
 * compact dumping (insertion order, 0.3 as 0.3 and 1.0 as 1.0, UTF-8 unescaped),
 * ownership (set/push take their value, getters borrow), and the typed readers.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "unit/support.h"

/* Under ASan, ownership tests end with a leak check so that a value a container
 * failed to take (or took twice) fails the test, not just prints a report. */

static rg_json *parse(const char *s, rg_err *err)
{
	rg_err_clear(err);
	return rg_json_parse(s, strlen(s), err);
}

/* Dump v and compare with want; frees the dump. */
static void assert_dump(const rg_json *v, const char *want)
{
	size_t len = 0;
	char *s = rg_json_dump(v, &len);
	cr_assert_not_null(s);
	cr_assert_str_eq(s, want);
	cr_assert_eq(len, strlen(want));
	free(s);
}

/* --- parsing -------------------------------------------------------------- */

Test(json, parse_error_names_line_and_column)
{
	rg_err err;
	rg_json *v = parse("[1,\n 2,\n x]", &err);
	cr_assert_null(v);
	cr_assert_eq(err.code, RG_EJSON);
	cr_assert_str_eq(err.kind, "json_invalid");
	cr_assert_str_eq(err.field, "");
	cr_assert(strstr(err.msg, "line 3 column 2"), "msg: %s", err.msg);
}

Test(json, trailing_comma_is_reported_where_python_reports_it)
{
	rg_err err;
	cr_assert_null(parse("{\"a\": 1,}", &err));
	cr_assert_eq(err.code, RG_EJSON);
	cr_assert_str_eq(err.kind, "json_invalid");
	/* python3: json.loads('{"a": 1,}') -> "line 1 column 9" */
	cr_assert(strstr(err.msg, "line 1 column 9"), "msg: %s", err.msg);
}

Test(json, parse_error_message_is_one_line)
{
	rg_err err;
	cr_assert_null(parse("{\n\n\"a\" 1}", &err));
	cr_assert(strstr(err.msg, "line 3"), "msg: %s", err.msg);
	cr_assert_null(strchr(err.msg, '\n'));
}

Test(json, duplicate_keys_are_rejected)
{
	rg_err err;
	cr_assert_null(parse("{\"a\":1,\"b\":2,\"a\":3}", &err));
	cr_assert_eq(err.code, RG_EJSON);
	cr_assert_str_eq(err.kind, "json_invalid");
	cr_assert(strstr(err.msg, "duplicate"), "msg: %s", err.msg);
}

Test(json, duplicate_keys_in_nested_objects_are_rejected)
{
	rg_err err;
	cr_assert_null(parse("{\"findings\":[{\"line\":1,\"line\":2}]}", &err));
	cr_assert_str_eq(err.kind, "json_invalid");
}

Test(json, trailing_data_is_rejected)
{
	rg_err err;
	cr_assert_null(parse("{} {}", &err));
	cr_assert_str_eq(err.kind, "json_invalid");
	cr_assert(strstr(err.msg, "line 1 column 4"), "msg: %s", err.msg);
}

Test(json, empty_input_is_invalid)
{
	rg_err err;
	cr_assert_null(parse("", &err));
	cr_assert_eq(err.code, RG_EJSON);
	cr_assert_str_eq(err.kind, "json_invalid");
}

Test(json, invalid_utf8_is_rejected)
{
	rg_err err;
	cr_assert_null(parse("\"\xff\xfe\"", &err));
	cr_assert_str_eq(err.kind, "json_invalid");
}

Test(json, parse_failure_with_null_err_returns_null)
{
	cr_assert_null(rg_json_parse("{", 1, NULL));
}

Test(json, parse_reads_exactly_n_bytes)
{
	rg_err err;
	rg_err_clear(&err);
	const char *s = "[1,2]garbage";
	rg_json *v = rg_json_parse(s, 5, &err);
	cr_assert_not_null(v, "msg: %s", err.msg);
	cr_assert_eq(rg_json_size(v), 2);
	rg_json_free(v);
}

Test(json, top_level_scalars_are_accepted)
{
	rg_err err;
	rg_json *v = parse("42", &err);
	cr_assert(rg_json_is_int(v));
	cr_assert_eq(rg_json_int_val(v), 42);
	rg_json_free(v);
	v = parse("\"text\"", &err);
	cr_assert_str_eq(rg_json_str_val(v), "text");
	rg_json_free(v);
}

Test(json, nul_inside_strings_is_kept)
{
	rg_err err;
	rg_json *v = parse("\"a\\u0000b\"", &err);
	cr_assert_not_null(v, "msg: %s", err.msg);
	cr_assert_eq(rg_json_str_len(v), 3);
	cr_assert_eq(memcmp(rg_json_str_val(v), "a\0b", 3), 0);
	rg_json_free(v);
}

Test(json, utf8_escapes_decode_to_utf8)
{
	rg_err err;
	rg_json *v = parse("\"caf\\u00e9 \\u2713\"", &err);
	cr_assert_str_eq(rg_json_str_val(v), "caf\xc3\xa9 \xe2\x9c\x93");
	rg_json_free(v);
}

/* --- dumping -------------------------------------------------------------- */

Test(json, dump_is_compact_in_insertion_order)
{
	rg_err err;
	rg_json *v = parse("{ \"z\" : [1, 2,\n 3], \"a\" : {\"k\": null, \"t\": true} }", &err);
	cr_assert_not_null(v);
	assert_dump(v, "{\"z\":[1,2,3],\"a\":{\"k\":null,\"t\":true}}");
	rg_json_free(v);
}

Test(json, built_object_dumps_keys_in_insertion_order)
{
	rg_json *o = rg_json_obj();
	cr_assert_eq(rg_json_set_int(o, "zeta", 1), RG_OK);
	cr_assert_eq(rg_json_set_str(o, "alpha", "x"), RG_OK);
	cr_assert_eq(rg_json_set_bool(o, "mid", false), RG_OK);
	cr_assert_eq(rg_json_set_null(o, "n"), RG_OK);
	cr_assert_eq(rg_json_set_str(o, "s", NULL), RG_OK);
	assert_dump(o, "{\"zeta\":1,\"alpha\":\"x\",\"mid\":false,\"n\":null,\"s\":null}");
	rg_json_free(o);
}

Test(json, reals_dump_in_shortest_form)
{
	rg_json *o = rg_json_obj();
	cr_assert_eq(rg_json_set_real(o, "a", 0.3), RG_OK);
	cr_assert_eq(rg_json_set_real(o, "b", 1.0), RG_OK);
	cr_assert_eq(rg_json_set_real(o, "c", 0.1 + 0.2), RG_OK);
	cr_assert_eq(rg_json_set_real(o, "d", 0.1234), RG_OK);
	cr_assert_eq(rg_json_set_real(o, "e", -0.5), RG_OK);
	cr_assert_eq(rg_json_set_real(o, "f", 0.0), RG_OK);
	assert_dump(o, "{\"a\":0.3,\"b\":1.0,\"c\":0.3,\"d\":0.1234,\"e\":-0.5,\"f\":0.0}");
	rg_json_free(o);
}

Test(json, real_and_integer_stay_distinct_in_output)
{
	rg_json *a = rg_json_arr();
	cr_assert_eq(rg_json_push(a, rg_json_int(1)), RG_OK);
	cr_assert_eq(rg_json_push(a, rg_json_real(1)), RG_OK);
	cr_assert_eq(rg_json_push(a, rg_json_int(-9007199254740993LL)), RG_OK);
	assert_dump(a, "[1,1.0,-9007199254740993]");
	rg_json_free(a);
}

Test(json, utf8_is_not_escaped_but_controls_and_quotes_are)
{
	rg_json *o = rg_json_obj();
	cr_assert_eq(rg_json_set_str(o, "t", "h\xc3\xa9llo \xe2\x9c\x93 \"q\"\n\\"), RG_OK);
	assert_dump(o, "{\"t\":\"h\xc3\xa9llo \xe2\x9c\x93 \\\"q\\\"\\n\\\\\"}");
	rg_json_free(o);
}

Test(json, strn_keeps_embedded_nul_through_dump)
{
	rg_json *s = rg_json_strn("a\0b", 3);
	assert_dump(s, "\"a\\u0000b\"");
	rg_json_free(s);
}

Test(json, dump_then_parse_round_trips)
{
	const char *text = "{\"score\":0.75,\"ok\":true,\"items\":[\"x\",null,{\"n\":-3}]}";
	rg_err err;
	rg_json *v = parse(text, &err);
	assert_dump(v, text);
	char *s = rg_json_dump(v, NULL);
	rg_json *w = parse(s, &err);
	assert_dump(w, text);
	free(s);
	rg_json_free(v);
	rg_json_free(w);
}

/* --- ownership ------------------------------------------------------------ */

Test(json, set_takes_the_value_without_copying)
{
	rg_json *o = rg_json_obj();
	rg_json *v = rg_json_str("owned");
	cr_assert_eq(rg_json_set(o, "k", v), RG_OK);
	cr_assert_eq(rg_json_get(o, "k"), v, "the object holds the very value it was given");
	rg_json_free(o); /* frees v too */
	assert_no_leaks();
}

Test(json, push_takes_the_value_without_copying)
{
	rg_json *a = rg_json_arr();
	rg_json *v = rg_json_int(7);
	cr_assert_eq(rg_json_push(a, v), RG_OK);
	cr_assert_eq(rg_json_at(a, 0), v);
	cr_assert_eq(rg_json_size(a), 1);
	rg_json_free(a);
	assert_no_leaks();
}

Test(json, set_consumes_exactly_one_reference)
{
	rg_json *o = rg_json_obj();
	rg_json *v = rg_json_str("shared");
	cr_assert_eq(rg_json_ref(v), v);
	cr_assert_eq(rg_json_set(o, "k", v), RG_OK);
	rg_json_free(o);
	/* Our own reference keeps v alive after its container is gone. */
	cr_assert_str_eq(rg_json_str_val(v), "shared");
	rg_json_free(v);
	assert_no_leaks();
}

Test(json, set_replaces_an_existing_key_in_place)
{
	rg_json *o = rg_json_obj();
	cr_assert_eq(rg_json_set_int(o, "a", 1), RG_OK);
	cr_assert_eq(rg_json_set_int(o, "b", 2), RG_OK);
	cr_assert_eq(rg_json_set_str(o, "a", "new"), RG_OK);
	cr_assert_eq(rg_json_size(o), 2);
	assert_dump(o, "{\"a\":\"new\",\"b\":2}");
	rg_json_free(o);
	assert_no_leaks(); /* the replaced value was released */
}

Test(json, set_of_a_failed_constructor_reports_enomem)
{
	rg_json *o = rg_json_obj();
	cr_assert_eq(rg_json_set(o, "k", NULL), RG_ENOMEM);
	cr_assert_eq(rg_json_push(rg_json_get(o, "nothing"), NULL), RG_ENOMEM);
	cr_assert_eq(rg_json_size(o), 0);
	rg_json_free(o);
}

Test(json, set_on_a_non_object_fails_and_releases_the_value)
{
	rg_json *a = rg_json_arr();
	cr_assert_neq(rg_json_set(a, "k", rg_json_str("dropped")), RG_OK);
	rg_json *i = rg_json_int(1);
	cr_assert_neq(rg_json_push(i, rg_json_str("dropped")), RG_OK, "push on a non-array");
	cr_assert_eq(rg_json_size(a), 0);
	rg_json_free(a);
	rg_json_free(i);
	assert_no_leaks(); /* the rejected values were released */
}

Test(json, deep_copy_is_independent)
{
	rg_err err;
	rg_json *v = parse("{\"a\":[1,2]}", &err);
	rg_json *c = rg_json_deep_copy(v);
	cr_assert_neq(c, v);
	cr_assert_eq(rg_json_push(rg_json_get(c, "a"), rg_json_int(3)), RG_OK);
	rg_json_del(c, "missing");
	assert_dump(v, "{\"a\":[1,2]}");
	assert_dump(c, "{\"a\":[1,2,3]}");
	rg_json_free(v);
	rg_json_free(c);
	assert_no_leaks();
}

Test(json, del_removes_a_key_and_ignores_absent_ones)
{
	rg_err err;
	rg_json *v = parse("{\"a\":1,\"b\":2,\"c\":3}", &err);
	rg_json_del(v, "b");
	rg_json_del(v, "nope");
	assert_dump(v, "{\"a\":1,\"c\":3}");
	rg_json_free(v);
}

Test(json, free_and_dump_accept_what_they_document)
{
	rg_json_free(NULL);
	rg_json *n = rg_json_null();
	assert_dump(n, "null");
	rg_json_free(n);
}

/* --- readers -------------------------------------------------------------- */

Test(json, readers_return_empty_values_on_type_mismatch)
{
	rg_err err;
	rg_json *v = parse("[\"s\", 5, 2.5, true, null, {}]", &err);
	cr_assert_null(rg_json_get(v, "x"), "get on an array");
	cr_assert_null(rg_json_at(v, 6), "index past the end");
	cr_assert_eq(rg_json_size(rg_json_at(v, 0)), 0, "size of a string");
	cr_assert_null(rg_json_str_val(rg_json_at(v, 1)), "str_val of an integer");
	cr_assert_eq(rg_json_int_val(rg_json_at(v, 0)), 0, "int_val of a string");
	cr_assert_eq(rg_json_real_val(rg_json_at(v, 1)), 5.0, "ints convert to double");
	cr_assert_eq(rg_json_real_val(rg_json_at(v, 2)), 2.5);
	cr_assert(rg_json_bool_val(rg_json_at(v, 3)));
	cr_assert_not(rg_json_bool_val(rg_json_at(v, 1)), "only true is true");
	cr_assert_not(rg_json_is_int(rg_json_at(v, 2)));
	cr_assert(rg_json_is_real(rg_json_at(v, 2)));
	cr_assert(rg_json_is_null(rg_json_at(v, 4)));
	cr_assert(rg_json_is_obj(rg_json_at(v, 5)));
	rg_json_free(v);
}

Test(json, type_names_follow_pydantic)
{
	rg_err err;
	rg_json *v = parse("[{}, [], \"s\", 1, 1.5, false, null]", &err);
	const char *want[] = { "object", "array", "string", "integer", "number", "boolean",
			       "null" };
	cr_assert_eq(rg_json_size(v), 7);
	for (size_t i = 0; i < 7; i++)
		cr_assert_str_eq(rg_json_type_name(rg_json_at(v, i)), want[i], "element %zu", i);
	rg_json_free(v);
}

Test(json, iteration_follows_insertion_order)
{
	rg_err err;
	rg_json *v = parse("{\"c\":1,\"a\":2,\"b\":3}", &err);
	const char *keys[] = { "c", "a", "b" };
	size_t i = 0;
	for (void *it = rg_json_iter(v); it; it = rg_json_iter_next(v, it), i++) {
		cr_assert_lt(i, 3);
		cr_assert_str_eq(rg_json_iter_key(it), keys[i]);
		cr_assert_eq(rg_json_int_val(rg_json_iter_value(it)), (long long)i + 1);
	}
	cr_assert_eq(i, 3);
	rg_json_free(v);
}
