/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * unit.h - minimal assertion helpers for the host unit tests.
 *
 * A test is a void function taking no argument; list them with UNIT_TEST()
 * in an array and hand it to unit_run(). Checks never abort: each failed
 * check prints "  file:line: what" and marks the running test failed. After
 * each test one line "PASS name" or "FAIL name: N failed checks" goes to
 * stdout (tools/check.sh counts those lines); a test that ran no check at
 * all also fails, so that a test cannot silently test nothing. unit_run()
 * returns the exit status: 0 only if every test passed.
 */
#ifndef SSTP_TESTS_UNIT_H
#define SSTP_TESTS_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

#define UNIT_TEST(f) { #f, f }

/* Checks run and failed in the running test, and checks run in all. */
static unsigned int unit_test_checks;
static unsigned int unit_failed_checks;
static unsigned int unit_total_checks;

static inline void unit_count_check(void)
{
	unit_test_checks++;
	unit_total_checks++;
}

static inline void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	unit_failed_checks++;
	/* Indented, so that it can never be read as a PASS/FAIL line. */
	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* CHECK(cond): fails with the text of the condition. */
#define CHECK(cond)							\
	do {								\
		unit_count_check();				\
		if (!(cond))						\
			unit_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
	} while (0)

/* CHECK_MSG(cond, fmt, ...): fails with a printf-style message. */
#define CHECK_MSG(cond, ...)						\
	do {								\
		unit_count_check();				\
		if (!(cond))						\
			unit_fail(__FILE__, __LINE__, __VA_ARGS__);	\
	} while (0)

/* CHECK_INT(actual, expected): integer equality, both values shown. */
#define CHECK_INT(actual, expected)					\
	do {								\
		long long a_ = (long long)(actual);			\
		long long e_ = (long long)(expected);			\
		unit_count_check();				\
		if (a_ != e_)						\
			unit_fail(__FILE__, __LINE__,			\
				  "%s == %lld, expected %s == %lld",	\
				  #actual, a_, #expected, e_);		\
	} while (0)

/* CHECK_MEM(actual, expected, len): bytes equal; shows the first difference. */
#define CHECK_MEM(actual, expected, len)				\
	unit_check_mem(__FILE__, __LINE__, #actual, (actual), (expected), \
		       (size_t)(len))

static inline void unit_check_mem(const char *file, int line,
				  const char *what, const void *actual,
				  const void *expected, size_t len)
{
	const unsigned char *a = actual, *e = expected;
	size_t i;

	unit_count_check();
	if (!a || !e) {
		unit_fail(file, line, "%s: NULL buffer", what);
		return;
	}
	for (i = 0; i < len; i++) {
		if (a[i] != e[i]) {
			unit_fail(file, line,
				  "%s: byte %zu of %zu is 0x%02x, expected 0x%02x",
				  what, i, len, a[i], e[i]);
			return;
		}
	}
}

/* --- helpers shared by the tests ---------------------------------------- */

/* A heap copy of exactly len bytes, so that ASan sees any overread. */
static inline void *unit_dup_exact(const void *p, size_t len)
{
	void *d = malloc(len ? len : 1);

	if (!d)
		abort();
	if (len)
		memcpy(d, p, len);
	return d;
}

/* Deterministic xorshift32, so failures reproduce. */
static uint32_t unit_rng_state = 0x5eed;

static inline uint32_t unit_rng(void)
{
	uint32_t x = unit_rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	unit_rng_state = x;
	return x;
}

/* A hex test vector (spaces allowed) into out; aborts on a bad vector. */
static inline size_t unit_unhex(const char *s, uint8_t *out, size_t size)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *s; s++) {
		if (*s == ' ')
			continue;
		v = (*s >= '0' && *s <= '9') ? *s - '0' :
		    (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10 :
		    (*s >= 'A' && *s <= 'F') ? *s - 'A' + 10 : -1;
		if (v < 0 || (hi < 0 && n >= size)) {
			fprintf(stderr, "bad hex test vector at '%s'\n", s);
			abort();
		}
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		fprintf(stderr, "odd hex test vector\n");
		abort();
	}
	return n;
}

static inline int unit_run(const struct unit_test *tests, size_t n)
{
	unsigned int failed_tests = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		unit_failed_checks = 0;
		unit_test_checks = 0;
		tests[i].fn();
		if (!unit_test_checks) {
			/* A test that checks nothing cannot fail: refuse it. */
			failed_tests++;
			printf("FAIL %s: no checks ran\n", tests[i].name);
		} else if (unit_failed_checks) {
			failed_tests++;
			printf("FAIL %s: %u failed checks\n", tests[i].name,
			       unit_failed_checks);
		} else {
			printf("PASS %s\n", tests[i].name);
		}
		fflush(stdout);
	}
	printf("# %zu tests, %u failed, %u checks\n", n, failed_tests,
	       unit_total_checks);
	return failed_tests ? 1 : 0;
}

#endif /* SSTP_TESTS_UNIT_H */
