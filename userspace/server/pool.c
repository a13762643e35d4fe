// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool.c - IPv4 address pools: parsing, round-robin allocation, reserve,
 * release. See pool.h for the spec syntax and the allocation policy.
 *
 * The pool's addresses are numbered 0..size-1 across its items in the
 * order written; a bitmap of that many bits says which are in use.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "server/pool.h"

struct pool_range {
	uint32_t first;		/* host byte order, inclusive */
	uint32_t last;
	uint32_t base;		/* number of the first address */
};

struct sstp_pool {
	struct pool_range *ranges;
	size_t nranges;
	uint64_t *bits;		/* 1 = in use; bits past size are kept 1 */
	size_t nwords;
	uint32_t size;
	uint32_t used;
	uint32_t next;		/* where the next allocation starts looking */
};

/* Blocks no peer address may come from, with a word for the error text. */
static const struct {
	uint32_t first, last;
	const char *what;
} unusable[] = {
	{ 0x00000000, 0x00ffffff, "0.0.0.0/8 (\"this network\")" },
	{ 0x7f000000, 0x7fffffff, "127.0.0.0/8 (loopback)" },
	{ 0xe0000000, 0xefffffff, "224.0.0.0/4 (multicast)" },
	{ 0xf0000000, 0xffffffff, "240.0.0.0/4 (reserved, broadcast)" },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define INET_ADDRSTR	16

static const char *addr_str(uint32_t host, char buf[INET_ADDRSTR])
{
	struct in_addr a = { .s_addr = htonl(host) };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTR) ? buf : "?";
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrow [*s, *s + *n) to drop surrounding blanks. */
static void trim(const char **s, size_t *n)
{
	while (*n && is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_blank((*s)[*n - 1]))
		(*n)--;
}

/* Dotted quad, strictly (inet_pton: four decimal parts, no extras). */
static bool parse_addr(const char *s, size_t n, uint32_t *host)
{
	char buf[INET_ADDRSTR];
	struct in_addr a;

	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return false;
	*host = ntohl(a.s_addr);
	return true;
}

/*
 * One item of the spec, blanks trimmed, into an inclusive range. On failure
 * why says what is wrong with it.
 */
static int parse_item(const char *s, size_t n, uint32_t *first,
		      uint32_t *last, char *why, size_t whylen)
{
	const char *dash = memchr(s, '-', n), *slash = memchr(s, '/', n);
	char a[INET_ADDRSTR];
	unsigned int plen = 0;
	uint32_t mask;
	size_t i;

	if (!n) {
		sstp_set_err(why, whylen, "empty item");
		return -1;
	}
	if (dash) {
		const char *l = s, *r = dash + 1;
		size_t ln = (size_t)(dash - s), rn = n - ln - 1;

		trim(&l, &ln);
		trim(&r, &rn);
		if (!parse_addr(l, ln, first)) {
			sstp_set_err(why, whylen, "range start \"%.*s\" is not an "
				"IPv4 address", (int)ln, l);
			return -1;
		}
		if (!parse_addr(r, rn, last)) {
			sstp_set_err(why, whylen, "range end \"%.*s\" is not an "
				"IPv4 address", (int)rn, r);
			return -1;
		}
		if (*first > *last) {
			sstp_set_err(why, whylen, "range end is below its start");
			return -1;
		}
		return 0;
	}
	if (slash) {
		size_t an = (size_t)(slash - s), pn = n - an - 1;
		const char *p = slash + 1;

		if (!parse_addr(s, an, first)) {
			sstp_set_err(why, whylen, "\"%.*s\" is not an IPv4 address",
				(int)an, s);
			return -1;
		}
		/* One or two decimal digits, nothing else. */
		if (!pn || pn > 2) {
			sstp_set_err(why, whylen, "prefix length \"%.*s\" is not "
				"0..32", (int)pn, p);
			return -1;
		}
		for (i = 0; i < pn; i++) {
			if (p[i] < '0' || p[i] > '9') {
				sstp_set_err(why, whylen, "prefix length \"%.*s\" "
					"is not 0..32", (int)pn, p);
				return -1;
			}
			plen = plen * 10 + (unsigned int)(p[i] - '0');
		}
		if (plen > 32) {
			sstp_set_err(why, whylen, "prefix length %u is over 32",
				plen);
			return -1;
		}
		mask = plen ? ~0u << (32 - plen) : 0;
		if (*first & ~mask) {
			sstp_set_err(why, whylen, "host bits set: did you mean "
				"%s/%u?", addr_str(*first & mask, a), plen);
			return -1;
		}
		*last = *first | ~mask;
		return 0;
	}
	if (!parse_addr(s, n, first)) {
		sstp_set_err(why, whylen, "\"%.*s\" is not an IPv4 address, range "
			"(a-b) or prefix (a/len)", (int)n, s);
		return -1;
	}
	*last = *first;
	return 0;
}

/* Can every address of [first, last] be a peer's? */
static int check_usable(uint32_t first, uint32_t last, char *why,
			size_t whylen)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(unusable); i++) {
		if (first <= unusable[i].last && last >= unusable[i].first) {
			sstp_set_err(why, whylen, "includes addresses of %s, which "
				"cannot be a peer's", unusable[i].what);
			return -1;
		}
	}
	return 0;
}

static int parse_spec(struct sstp_pool *p, const char *spec, char *err,
		      size_t errlen)
{
	const char *item = spec, *end, *s;
	uint64_t total = 0, count;
	char why[160];
	size_t n, k;
	uint32_t first, last;

	for (;;) {
		end = strchr(item, ',');
		n = end ? (size_t)(end - item) : strlen(item);
		s = item;
		trim(&s, &n);
		if (parse_item(s, n, &first, &last, why, sizeof(why)) ||
		    check_usable(first, last, why, sizeof(why)))
			goto bad;
		for (k = 0; k < p->nranges; k++) {
			if (first <= p->ranges[k].last &&
			    last >= p->ranges[k].first) {
				snprintf(why, sizeof(why), "overlaps item %zu",
					 k + 1);
				goto bad;
			}
		}
		count = (uint64_t)last - first + 1;
		if (total + count > SSTP_POOL_MAX_ADDRS) {
			snprintf(why, sizeof(why), "pool would hold %llu "
				 "addresses, more than the %u allowed",
				 (unsigned long long)(total + count),
				 SSTP_POOL_MAX_ADDRS);
			goto bad;
		}
		if (p->nranges == SSTP_POOL_MAX_RANGES) {
			snprintf(why, sizeof(why), "more than %u items",
				 SSTP_POOL_MAX_RANGES);
			goto bad;
		}
		p->ranges[p->nranges].first = first;
		p->ranges[p->nranges].last = last;
		p->ranges[p->nranges].base = (uint32_t)total;
		p->nranges++;
		total += count;
		if (!end)
			break;
		item = end + 1;
	}
	p->size = (uint32_t)total;
	return 0;

bad:
	/* Name the item by number, text and position: specs get long. */
	sstp_set_err(err, errlen, "pool item %zu \"%.*s\" (at character %zu): %s",
		p->nranges + 1, (int)n, s, (size_t)(s - spec) + 1, why);
	return -1;
}

struct sstp_pool *sstp_pool_new(const char *spec, char *err, size_t errlen)
{
	struct sstp_pool *p;
	size_t items = 1, i;
	const char *c;

	if (!spec) {
		sstp_set_err(err, errlen, "no pool spec");
		errno = EINVAL;
		return NULL;
	}
	for (c = spec; is_blank(*c); c++)
		;
	if (!*c) {
		sstp_set_err(err, errlen, "empty pool spec");
		errno = EINVAL;
		return NULL;
	}
	for (c = spec; *c; c++)
		items += *c == ',';
	if (items > SSTP_POOL_MAX_RANGES) {
		sstp_set_err(err, errlen, "pool has %zu items, more than the %u "
			"allowed", items, SSTP_POOL_MAX_RANGES);
		errno = EINVAL;
		return NULL;
	}

	p = calloc(1, sizeof(*p));
	if (!p)
		goto nomem;
	p->ranges = calloc(items, sizeof(*p->ranges));
	if (!p->ranges)
		goto nomem;
	if (parse_spec(p, spec, err, errlen)) {
		sstp_pool_free(p);
		errno = EINVAL;
		return NULL;
	}

	p->nwords = (p->size + 63) / 64;
	p->bits = calloc(p->nwords, sizeof(*p->bits));
	if (!p->bits)
		goto nomem;
	/* Mark the tail bits of the last word used: no search finds them. */
	for (i = p->size; i < p->nwords * 64; i++)
		p->bits[i / 64] |= 1ull << (i % 64);
	return p;

nomem:
	sstp_pool_free(p);
	sstp_set_err(err, errlen, "out of memory");
	errno = ENOMEM;
	return NULL;
}

void sstp_pool_free(struct sstp_pool *pool)
{
	if (!pool)
		return;
	free(pool->bits);
	free(pool->ranges);
	free(pool);
}

/* The number of a host-order address in the pool, if it is in it. */
static bool addr_index(const struct sstp_pool *p, uint32_t host,
		       uint32_t *idx)
{
	size_t k;

	for (k = 0; k < p->nranges; k++) {
		if (host >= p->ranges[k].first && host <= p->ranges[k].last) {
			*idx = p->ranges[k].base + (host - p->ranges[k].first);
			return true;
		}
	}
	return false;
}

static uint32_t index_addr(const struct sstp_pool *p, uint32_t idx)
{
	size_t k;

	for (k = p->nranges; k-- > 1;)
		if (idx >= p->ranges[k].base)
			break;
	return p->ranges[k].first + (idx - p->ranges[k].base);
}

static bool bit_test(const struct sstp_pool *p, uint32_t idx)
{
	return p->bits[idx / 64] >> (idx % 64) & 1;
}

static void bit_flip(struct sstp_pool *p, uint32_t idx)
{
	p->bits[idx / 64] ^= 1ull << (idx % 64);
}

/*
 * First free number at or after from, wrapping around. The caller makes
 * sure one is free; the last round of the loop revisits from's word whole,
 * for the free numbers below from.
 */
static uint32_t find_free(const struct sstp_pool *p, uint32_t from)
{
	size_t w = from / 64, k;
	uint64_t avail = ~p->bits[w] & (~0ull << (from % 64));

	for (k = 0; k <= p->nwords; k++) {
		if (avail)
			return (uint32_t)(w * 64) +
			       (uint32_t)__builtin_ctzll(avail);
		w = (w + 1) % p->nwords;
		avail = ~p->bits[w];
	}
	return UINT32_MAX;	/* not reached while used < size */
}

int sstp_pool_alloc(struct sstp_pool *pool, struct in_addr *addr)
{
	uint32_t idx;

	if (!pool || !addr)
		return -EINVAL;
	if (pool->used >= pool->size)
		return -ENOSPC;
	idx = find_free(pool, pool->next);
	if (idx >= pool->size)
		return -ENOSPC;
	bit_flip(pool, idx);
	pool->used++;
	pool->next = idx + 1 == pool->size ? 0 : idx + 1;
	addr->s_addr = htonl(index_addr(pool, idx));
	return 0;
}

int sstp_pool_reserve(struct sstp_pool *pool, struct in_addr addr)
{
	uint32_t idx;

	if (!pool)
		return -EINVAL;
	if (!addr_index(pool, ntohl(addr.s_addr), &idx))
		return -EADDRNOTAVAIL;
	if (bit_test(pool, idx))
		return -EADDRINUSE;
	bit_flip(pool, idx);
	pool->used++;
	return 0;
}

int sstp_pool_release(struct sstp_pool *pool, struct in_addr addr)
{
	uint32_t idx;

	if (!pool)
		return -EINVAL;
	if (!addr_index(pool, ntohl(addr.s_addr), &idx))
		return -EADDRNOTAVAIL;
	if (!bit_test(pool, idx))
		return -EALREADY;
	bit_flip(pool, idx);
	pool->used--;
	return 0;
}

bool sstp_pool_contains(const struct sstp_pool *pool, struct in_addr addr)
{
	uint32_t idx;

	return pool && addr_index(pool, ntohl(addr.s_addr), &idx);
}

bool sstp_pool_overlaps(const struct sstp_pool *a, const struct sstp_pool *b,
			struct in_addr *first)
{
	size_t i, j;

	for (i = 0; a && b && i < a->nranges; i++) {
		for (j = 0; j < b->nranges; j++) {
			const struct pool_range *x = &a->ranges[i];
			const struct pool_range *y = &b->ranges[j];

			if (x->first <= y->last && y->first <= x->last) {
				first->s_addr = htonl(x->first > y->first ?
						      x->first : y->first);
				return true;
			}
		}
	}
	return false;
}

bool sstp_pool_in_use(const struct sstp_pool *pool, struct in_addr addr)
{
	uint32_t idx;

	return pool && addr_index(pool, ntohl(addr.s_addr), &idx) &&
	       bit_test(pool, idx);
}

uint32_t sstp_pool_size(const struct sstp_pool *pool)
{
	return pool ? pool->size : 0;
}

uint32_t sstp_pool_used(const struct sstp_pool *pool)
{
	return pool ? pool->used : 0;
}
