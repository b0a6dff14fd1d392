/* Per-request memory: many small allocations released at once. */
#include "api/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 8192
#define ARENA_ALIGN 16

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	_Alignas(ARENA_ALIGN) unsigned char data[];
} chunk;

struct lc__arena {
	chunk *head;
};

lc__arena *lc__arena_new(void)
{
	return calloc(1, sizeof(lc__arena));
}

void lc__arena_free(lc__arena *a)
{
	if (a == NULL)
		return;
	for (chunk *c = a->head, *n; c != NULL; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

void *lc__arena_alloc(lc__arena *a, size_t n)
{
	chunk *c = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (need < n)
		return NULL;
	if (c == NULL || c->cap - c->used < need) {
		size_t cap = need > ARENA_CHUNK ? need : ARENA_CHUNK;

		if (cap > SIZE_MAX - sizeof(chunk))
			return NULL;
		c = malloc(sizeof(chunk) + cap);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->cap = cap;
		if (a->head != NULL && need > ARENA_CHUNK) {
			/* a big block: keep filling the current small chunk afterwards */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->data + c->used;
	c->used += need;
	memset(p, 0, n);
	return p;
}

char *lc__arena_strndup(lc__arena *a, const char *s, size_t n)
{
	char *p = lc__arena_alloc(a, n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *lc__arena_printf(lc__arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = lc__arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
