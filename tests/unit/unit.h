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
