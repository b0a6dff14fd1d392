/* A per-thread pool of libsodium random bytes for identifiers (core/random.h). */
#include "core/random.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define POOL_BYTES 256

static _Thread_local struct {
	unsigned char b[POOL_BYTES];
	size_t left; /* unused bytes at the end of b */
} pool;

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* In the child of a fork (one thread, the forking one's copy): forget what the parent may still hand out. */
static void forget_in_child(void)
{
	sodium_memzero(pool.b, sizeof(pool.b));
	pool.left = 0;
}

static void register_atfork(void)
{
	pthread_atfork(NULL, NULL, forget_in_child);
}

void lc__random_buf(void *buf, size_t n)
{
	unsigned char *out = buf;

	pthread_once(&atfork_once, register_atfork);
	if (n > POOL_BYTES / 2) { /* large requests skip the pool */
		randombytes_buf(buf, n);
		return;
	}
	while (n > 0) {
		size_t k;

		if (pool.left == 0) {
			randombytes_buf(pool.b, sizeof(pool.b));
			pool.left = sizeof(pool.b);
		}
		k = n < pool.left ? n : pool.left;
		memcpy(out, pool.b + sizeof(pool.b) - pool.left, k);
		sodium_memzero(pool.b + sizeof(pool.b) - pool.left, k); /* bytes handed out are not kept */
		pool.left -= k;
		out += k;
		n -= k;
	}
}

uint32_t lc__random_uniform(uint32_t upper)
{
	uint32_t r, floor;

	if (upper < 2)
		return 0;
	floor = (uint32_t)(-upper) % upper; /* 2^32 mod upper: values below it would bias the result */
	do
		lc__random_buf(&r, sizeof(r));
	while (r < floor);
	return r % upper;
}
