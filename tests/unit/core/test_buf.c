/*
 * test_buf.c - the bounded growable buffer (core/buf.h): the maximum is enforced
 * with RG_ETOOBIG and leaves the contents as they were, data stays NUL-terminated,
 * printf appends formatted text, take hands the bytes over, reset empties in place,
 * and the JSON string and integer writers produce what a JSON parser reads back.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"

Test(buf, new_buffer_is_empty_and_unallocated)
{
	rg_buf b;
	rg_buf_init(&b, 16);
	cr_assert_null(b.data);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.max, 16);
	rg_buf_free(&b);
}

Test(buf, appends_concatenate_and_stay_nul_terminated)
{
	rg_buf b;
	rg_buf_init(&b, 64);
	cr_assert_eq(rg_buf_append(&b, "abc", 3), RG_OK);
	cr_assert_eq(rg_buf_puts(&b, "def"), RG_OK);
	cr_assert_eq(rg_buf_append(&b, "ghiXXX", 3), RG_OK, "only n bytes are copied");
	cr_assert_eq(b.len, 9);
	cr_assert_str_eq(b.data, "abcdefghi");
	cr_assert_eq(b.data[b.len], '\0');
	rg_buf_free(&b);
}

Test(buf, append_keeps_embedded_nul_bytes)
{
	rg_buf b;
	rg_buf_init(&b, 16);
	cr_assert_eq(rg_buf_append(&b, "a\0b", 3), RG_OK);
	cr_assert_eq(b.len, 3);
	cr_assert_eq(memcmp(b.data, "a\0b", 4), 0);
	rg_buf_free(&b);
}

Test(buf, filling_exactly_to_max_succeeds)
{
	rg_buf b;
	rg_buf_init(&b, 8);
	cr_assert_eq(rg_buf_puts(&b, "1234"), RG_OK);
	cr_assert_eq(rg_buf_puts(&b, "5678"), RG_OK);
	cr_assert_eq(b.len, 8);
	cr_assert_str_eq(b.data, "12345678");
	rg_buf_free(&b);
}

Test(buf, one_byte_past_max_is_too_big_and_keeps_contents)
{
	rg_buf b;
	rg_buf_init(&b, 8);
	cr_assert_eq(rg_buf_puts(&b, "1234567"), RG_OK);
	cr_assert_eq(rg_buf_puts(&b, "89"), RG_ETOOBIG);
	cr_assert_eq(b.len, 7, "a rejected append must not change the length");
	cr_assert_str_eq(b.data, "1234567", "a rejected append must not change the data");
	/* The buffer still takes what fits. */
	cr_assert_eq(rg_buf_puts(&b, "8"), RG_OK);
	cr_assert_str_eq(b.data, "12345678");
	cr_assert_eq(rg_buf_puts(&b, "9"), RG_ETOOBIG);
	cr_assert_str_eq(b.data, "12345678");
	rg_buf_free(&b);
}

Test(buf, first_append_larger_than_max_is_too_big)
{
	rg_buf b;
	rg_buf_init(&b, 4);
	cr_assert_eq(rg_buf_puts(&b, "hello"), RG_ETOOBIG);
	cr_assert_eq(b.len, 0);
	rg_buf_free(&b);
}

Test(buf, huge_length_is_too_big_not_an_overflow)
{
	rg_buf b;
	rg_buf_init(&b, 64);
	cr_assert_eq(rg_buf_puts(&b, "ab"), RG_OK);
	cr_assert_eq(rg_buf_append(&b, "x", SIZE_MAX), RG_ETOOBIG);
	cr_assert_eq(rg_buf_append(&b, "x", SIZE_MAX - 1), RG_ETOOBIG);
	cr_assert_str_eq(b.data, "ab");
	rg_buf_free(&b);
}

Test(buf, zero_max_accepts_only_empty_appends)
{
	rg_buf b;
	rg_buf_init(&b, 0);
	cr_assert_eq(rg_buf_append(&b, "", 0), RG_OK);
	cr_assert_str_eq(b.data, "");
	cr_assert_eq(rg_buf_puts(&b, "x"), RG_ETOOBIG);
	cr_assert_eq(b.len, 0);
	rg_buf_free(&b);
}

Test(buf, grows_across_many_small_appends_up_to_max)
{
	enum { MAX = 1000 };
	rg_buf b;
	rg_buf_init(&b, MAX);
	for (int i = 0; i < MAX; i++) {
		char c = (char)('a' + i % 26);
		cr_assert_eq(rg_buf_append(&b, &c, 1), RG_OK, "append %d", i);
	}
	cr_assert_eq(b.len, MAX);
	for (int i = 0; i < MAX; i++)
		cr_assert_eq(b.data[i], (char)('a' + i % 26), "byte %d", i);
	cr_assert_eq(b.data[MAX], '\0');
	cr_assert_eq(rg_buf_append(&b, "z", 1), RG_ETOOBIG);
	cr_assert_eq(b.len, MAX);
	rg_buf_free(&b);
}

Test(buf, printf_appends_formatted_text)
{
	rg_buf b;
	rg_buf_init(&b, 64);
	cr_assert_eq(rg_buf_puts(&b, "n="), RG_OK);
	cr_assert_eq(rg_buf_printf(&b, "%d-%s-%.2f", 42, "x", 0.5), RG_OK);
	cr_assert_str_eq(b.data, "n=42-x-0.50");
	cr_assert_eq(b.len, strlen("n=42-x-0.50"));
	cr_assert_eq(rg_buf_printf(&b, "%s", ""), RG_OK);
	cr_assert_eq(b.len, strlen("n=42-x-0.50"));
	rg_buf_free(&b);
}

Test(buf, printf_exactly_to_max_succeeds)
{
	rg_buf b;
	rg_buf_init(&b, 6);
	cr_assert_eq(rg_buf_puts(&b, "ab"), RG_OK);
	cr_assert_eq(rg_buf_printf(&b, "%04d", 7), RG_OK);
	cr_assert_str_eq(b.data, "ab0007");
	rg_buf_free(&b);
}

Test(buf, printf_past_max_is_too_big_and_keeps_contents)
{
	rg_buf b;
	rg_buf_init(&b, 6);
	cr_assert_eq(rg_buf_puts(&b, "ab"), RG_OK);
	cr_assert_eq(rg_buf_printf(&b, "%05d", 7), RG_ETOOBIG);
	cr_assert_eq(b.len, 2);
	cr_assert_str_eq(b.data, "ab");
	rg_buf_free(&b);
}

Test(buf, printf_longer_than_the_first_allocation)
{
	char big[600];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	rg_buf b;
	rg_buf_init(&b, 4096);
	cr_assert_eq(rg_buf_printf(&b, "<%s>", big), RG_OK);
	cr_assert_eq(b.len, strlen(big) + 2);
	cr_assert_eq(b.data[0], '<');
	cr_assert_eq(b.data[b.len - 1], '>');
	cr_assert_eq(b.data[b.len], '\0');
	rg_buf_free(&b);
}

Test(buf, take_hands_over_the_data_and_empties_the_buffer)
{
	rg_buf b;
	rg_buf_init(&b, 64);
	cr_assert_eq(rg_buf_puts(&b, "payload"), RG_OK);
	size_t len = 0;
	char *p = rg_buf_take(&b, &len);
	cr_assert_not_null(p);
	cr_assert_str_eq(p, "payload");
	cr_assert_eq(len, 7);
	cr_assert_null(b.data);
	cr_assert_eq(b.len, 0);
	/* The buffer is reusable and independent of the taken bytes. */
	cr_assert_eq(rg_buf_puts(&b, "next"), RG_OK);
	cr_assert_str_eq(b.data, "next");
	cr_assert_str_eq(p, "payload");
	free(p);
	rg_buf_free(&b);
}

Test(buf, take_of_an_empty_buffer_is_an_empty_string)
{
	rg_buf b;
	rg_buf_init(&b, 64);
	size_t len = 99;
	char *p = rg_buf_take(&b, &len);
	cr_assert_not_null(p, "take never returns NULL on success");
	cr_assert_str_eq(p, "");
	cr_assert_eq(len, 0);
	free(p);
}

Test(buf, take_accepts_null_length)
{
	rg_buf b;
	rg_buf_init(&b, 64);
	cr_assert_eq(rg_buf_puts(&b, "x"), RG_OK);
	char *p = rg_buf_take(&b, NULL);
	cr_assert_str_eq(p, "x");
	free(p);
}

Test(buf, reset_empties_but_keeps_the_allocation)
{
	rg_buf b;
	rg_buf_init(&b, 64);
	cr_assert_eq(rg_buf_puts(&b, "first contents"), RG_OK);
	char *data = b.data;
	size_t cap = b.cap;
	rg_buf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	cr_assert_eq(b.data, data);
	cr_assert_eq(b.cap, cap);
	cr_assert_eq(rg_buf_puts(&b, "2nd"), RG_OK);
	cr_assert_str_eq(b.data, "2nd");
	rg_buf_free(&b);
}

Test(buf, reset_restores_the_full_budget)
{
	rg_buf b;
	rg_buf_init(&b, 4);
	cr_assert_eq(rg_buf_puts(&b, "abcd"), RG_OK);
	cr_assert_eq(rg_buf_puts(&b, "e"), RG_ETOOBIG);
	rg_buf_reset(&b);
	cr_assert_eq(rg_buf_puts(&b, "wxyz"), RG_OK);
	cr_assert_str_eq(b.data, "wxyz");
	rg_buf_free(&b);
}

Test(buf, reset_of_an_unused_buffer_is_harmless)
{
	rg_buf b;
	rg_buf_init(&b, 4);
	rg_buf_reset(&b);
	cr_assert_null(b.data);
	cr_assert_eq(b.len, 0);
	rg_buf_free(&b);
}

/* grow() clamps the allocation to max + 1, which would wrap to 0 for SIZE_MAX
 * (a 0-byte block the first append writes past); the environments' action
 * text buffers use this ceiling. */
Test(buf, size_max_ceiling_means_unbounded)
{
	rg_buf b;
	rg_buf_init(&b, SIZE_MAX);
	const char *s = "more than sixteen bytes of text, to outgrow a tiny block";
	cr_assert_eq(rg_buf_puts(&b, s), RG_OK);
	cr_assert_str_eq(b.data, s);
	cr_assert_geq(b.cap, strlen(s) + 1);
	rg_buf_free(&b);
}

Test(buf, json_str_escapes_what_json_requires_and_reads_back_byte_for_byte)
{
	/* quote, backslash, every control character (NUL included), UTF-8, slash */
	char in[64];
	size_t n = 0;
	const char head[] = "a\"b\\c/d \xc3\xa9 \xe2\x80\x93 ";
	memcpy(in, head, sizeof head - 1);
	n = sizeof head - 1;
	for (int c = 0; c < 0x20; c++)
		in[n++] = (char)c;
	in[n++] = 'z';
	rg_buf b;
	rg_buf_init(&b, 256);
	cr_assert_eq(rg_buf_json_str(&b, in, n), RG_OK);
	cr_assert(strstr(b.data, "\\u0000") && strstr(b.data, "\\n") && strstr(b.data, "\\u001f"),
		  "controls escaped: %s", b.data);
	for (size_t i = 0; i < b.len; i++)
		cr_assert_geq((unsigned char)b.data[i], 0x20, "raw control byte at %zu", i);
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(b.data, b.len, &err);
	cr_assert_not_null(v, "not JSON: %s (%s)", b.data, err.msg);
	cr_assert_eq(rg_json_str_len(v), n);
	cr_assert(!memcmp(rg_json_str_val(v), in, n), "bytes differ after the round trip");
	rg_json_free(v);
	rg_buf_free(&b);
}

Test(buf, json_str_of_nothing_is_the_empty_string)
{
	rg_buf b;
	rg_buf_init(&b, 16);
	cr_assert_eq(rg_buf_json_str(&b, NULL, 0), RG_OK);
	cr_assert_eq(rg_buf_json_str(&b, "", 0), RG_OK);
	cr_assert_str_eq(b.data, "\"\"\"\"");
	rg_buf_free(&b);
}

Test(buf, json_str_respects_the_maximum)
{
	rg_buf b;
	rg_buf_init(&b, 8);
	cr_assert_eq(rg_buf_json_str(&b, "abcdefghij", 10), RG_ETOOBIG);
	cr_assert_leq(b.len, 8);
	rg_buf_free(&b);
}

Test(buf, json_int_writes_every_value_as_printf_does)
{
	const long long vals[] = { 0, 7, -7, 10, 1234567890123LL, INT64_MAX, INT64_MIN };
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
		rg_buf b;
		rg_buf_init(&b, 64);
		cr_assert_eq(rg_buf_json_int(&b, vals[i]), RG_OK);
		char want[32];
		snprintf(want, sizeof want, "%lld", vals[i]);
		cr_assert_str_eq(b.data, want);
		rg_buf_free(&b);
	}
}
