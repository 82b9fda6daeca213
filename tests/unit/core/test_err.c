/*
 * test_err.c - the error type (core/err.h): the first error set wins until
 * cleared, messages are one line, NULL err/field/kind are allowed, fields and
 * messages are truncated to their fixed size, and codes have stable names.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/err.h"

Test(err, cleared_error_is_not_set)
{
	rg_err e;
	memset(&e, 0x5a, sizeof e);
	rg_err_clear(&e);
	cr_assert_not(rg_err_is_set(&e));
	cr_assert_eq(e.code, RG_OK);
	cr_assert_str_eq(e.field, "");
	cr_assert_str_eq(e.kind, "");
	cr_assert_str_eq(e.msg, "");
}

Test(err, set_records_code_field_kind_and_message)
{
	rg_err e;
	rg_err_clear(&e);
	int rc = rg_err_set(&e, RG_EINVAL, "findings[2].line_number", "int_parsing",
			    "expected an integer, got %s", "\"abc\"");
	cr_assert_eq(rc, RG_EINVAL, "set returns the code it was given");
	cr_assert(rg_err_is_set(&e));
	cr_assert_eq(e.code, RG_EINVAL);
	cr_assert_str_eq(e.field, "findings[2].line_number");
	cr_assert_str_eq(e.kind, "int_parsing");
	cr_assert_str_eq(e.msg, "expected an integer, got \"abc\"");
}

Test(err, first_error_wins)
{
	rg_err e;
	rg_err_clear(&e);
	rg_err_set(&e, RG_ETOOBIG, "body", "too_long", "inner");
	int rc = rg_err_set(&e, RG_EIO, "outer", "other", "outer");
	cr_assert_eq(rc, RG_EIO, "later calls still return their own code");
	cr_assert_eq(e.code, RG_ETOOBIG);
	cr_assert_str_eq(e.field, "body");
	cr_assert_str_eq(e.kind, "too_long");
	cr_assert_str_eq(e.msg, "inner");
}

Test(err, clear_allows_a_new_error)
{
	rg_err e;
	rg_err_clear(&e);
	rg_err_set(&e, RG_EINVAL, "a", NULL, "first");
	rg_err_clear(&e);
	rg_err_set(&e, RG_ENOTFOUND, "b", NULL, "second");
	cr_assert_eq(e.code, RG_ENOTFOUND);
	cr_assert_str_eq(e.field, "b");
	cr_assert_str_eq(e.msg, "second");
}

Test(err, newlines_and_tabs_become_spaces)
{
	rg_err e;
	rg_err_clear(&e);
	rg_err_set(&e, RG_EINVAL, NULL, NULL, "line one\nline two\r\n%s", "arg\twith\ttabs\n");
	cr_assert_str_eq(e.msg, "line one line two  arg with tabs ");
	cr_assert_null(strchr(e.msg, '\n'));
	cr_assert_null(strchr(e.msg, '\r'));
}

Test(err, null_err_is_allowed_everywhere)
{
	cr_assert_eq(rg_err_set(NULL, RG_EIO, "f", "k", "ignored %d", 1), RG_EIO);
	cr_assert_not(rg_err_is_set(NULL));
	rg_err_clear(NULL);
}

Test(err, null_field_and_kind_are_empty)
{
	rg_err e;
	memset(&e, 'x', sizeof e);
	e.code = RG_OK;
	rg_err_set(&e, RG_EINTERNAL, NULL, NULL, "m");
	cr_assert_str_eq(e.field, "");
	cr_assert_str_eq(e.kind, "");
	cr_assert_str_eq(e.msg, "m");
}

Test(err, long_texts_are_truncated_and_terminated)
{
	char longer[1024];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	rg_err e;
	rg_err_clear(&e);
	rg_err_set(&e, RG_EINVAL, longer, longer, "%s", longer);
	cr_assert_eq(strlen(e.field), RG_ERR_FIELD_BYTES - 1);
	cr_assert_eq(strlen(e.kind), RG_ERR_KIND_BYTES - 1);
	cr_assert_eq(strlen(e.msg), RG_ERR_MSG_BYTES - 1);
	cr_assert_eq(e.msg[0], 'a');
}

Test(err, codes_have_stable_names)
{
	cr_assert_str_eq(rg_code_name(RG_OK), "OK");
	cr_assert_str_eq(rg_code_name(RG_EINVAL), "EINVAL");
	cr_assert_str_eq(rg_code_name(RG_ETOOBIG), "ETOOBIG");
	cr_assert_str_eq(rg_code_name(RG_ENOMEM), "ENOMEM");
	cr_assert_str_eq(rg_code_name(RG_ENOTFOUND), "ENOTFOUND");
	cr_assert_str_eq(rg_code_name(RG_ESTATE), "ESTATE");
	cr_assert_str_eq(rg_code_name(RG_EIO), "EIO");
	cr_assert_str_eq(rg_code_name(RG_EJSON), "EJSON");
	cr_assert_str_eq(rg_code_name(RG_ECAPACITY), "ECAPACITY");
	cr_assert_str_eq(rg_code_name(RG_EINTERNAL), "EINTERNAL");
	cr_assert_str_eq(rg_code_name(-100), "EUNKNOWN");
}
