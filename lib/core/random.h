/*
 * Internal: random bytes for identifiers (resource ids, request ids, MAC
 * addresses). They come from libsodium's generator, drawn 256 bytes at a time
 * into a per-thread pool, so making an id costs no system call. The pool is
 * emptied in the child of a fork, so parent and child never hand out the same
 * bytes. Secrets (keys, passwords, token material) call libsodium directly.
 */
#ifndef LC_CORE_RANDOM_H
#define LC_CORE_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Fill buf with n random bytes. */
void lc__random_buf(void *buf, size_t n);

/* A uniformly distributed number in [0, upper) (0 when upper < 2). */
uint32_t lc__random_uniform(uint32_t upper);

#endif
