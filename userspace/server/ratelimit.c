// SPDX-License-Identifier: GPL-2.0-or-later
/* ratelimit.c - see ratelimit.h. */

#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "server/ratelimit.h"

#define SLOTS	4096		/* a power of two */
#define PROBE	8		/* slots an address may live in */

struct bucket {
	uint8_t key[17];	/* family tag, then the address (or /64) */
	bool used;
	double tokens;
	long long stamp;	/* ms of the last refill */
};

struct sstp_ratelimit {
	unsigned int burst;
	unsigned long period_ms;
	uint64_t seed;		/* so that clients cannot aim at one slot */
	struct bucket slots[SLOTS];
};

struct sstp_ratelimit *sstp_ratelimit_new(unsigned int burst,
					  unsigned long period_ms)
{
	struct sstp_ratelimit *rl;

	if (!burst || !period_ms)
		return NULL;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		return NULL;
	rl->burst = burst;
	rl->period_ms = period_ms;
	if (RAND_bytes((unsigned char *)&rl->seed, sizeof(rl->seed)) != 1)
		rl->seed = (uint64_t)(uintptr_t)rl;
	return rl;
}

void sstp_ratelimit_free(struct sstp_ratelimit *rl)
{
	free(rl);
}

/* The key of @ss: v4 (mapped or not) whole, v6 by its /64. */
static bool make_key(const struct sockaddr_storage *ss, uint8_t key[17])
{
	const struct sockaddr_in6 *a6 = (const void *)ss;
	const struct sockaddr_in *a4 = (const void *)ss;

	memset(key, 0, 17);
	if (ss->ss_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &a4->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6 &&
		   IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
		key[0] = 4;
		memcpy(key + 1, &a6->sin6_addr.s6_addr[12], 4);
	} else if (ss->ss_family == AF_INET6) {
		key[0] = 6;
		memcpy(key + 1, &a6->sin6_addr, 8);
	} else {
		return false;
	}
	return true;
}

/* FNV-1a, seeded: a table index, not cryptography. */
static unsigned int slot_of(const struct sstp_ratelimit *rl,
			    const uint8_t key[17])
{
	uint64_t h = 1469598103934665603ull ^ rl->seed;
	int i;

	for (i = 0; i < 17; i++)
		h = (h ^ key[i]) * 1099511628211ull;
	return (unsigned int)(h ^ (h >> 32)) & (SLOTS - 1);
}

static struct bucket *find(struct sstp_ratelimit *rl, const uint8_t key[17])
{
	unsigned int start = slot_of(rl, key), i;
	struct bucket *b, *oldest = NULL;

	for (i = 0; i < PROBE; i++) {
		b = &rl->slots[(start + i) & (SLOTS - 1)];
		if (b->used && !memcmp(b->key, key, 17))
			return b;
		if (!b->used) {
			oldest = b;
			break;
		}
		if (!oldest || b->stamp < oldest->stamp)
			oldest = b;
	}
	memcpy(oldest->key, key, 17);
	oldest->used = true;
	oldest->tokens = rl->burst;
	oldest->stamp = 0;
	return oldest;
}

bool sstp_ratelimit_allow(struct sstp_ratelimit *rl,
			  const struct sockaddr_storage *addr, long long now_ms)
{
	uint8_t key[17];
	struct bucket *b;

	if (!make_key(addr, key))
		return true;
	b = find(rl, key);
	if (b->stamp) {
		b->tokens += (double)(now_ms - b->stamp) * rl->burst /
			     (double)rl->period_ms;
		if (b->tokens > rl->burst)
			b->tokens = rl->burst;
	}
	b->stamp = now_ms;
	if (b->tokens < 1.0)
		return false;
	b->tokens -= 1.0;
	return true;
}
