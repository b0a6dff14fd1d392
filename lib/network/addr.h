/*
 * Internal: IP addresses and CIDRs as 128-bit big-endian numbers (IPv4 in
 * the last four bytes), parsed with inet_pton and printed canonically.
 */
#ifndef LC_NETWORK_ADDR_H
#define LC_NETWORK_ADDR_H

#include <stdint.h>

#define LC__IP_TEXT 46   /* INET6_ADDRSTRLEN */
#define LC__CIDR_TEXT 50 /* address, '/', prefix, NUL */

typedef struct lc__addr {
	uint8_t b[16];
} lc__addr;

typedef struct lc__cidr {
	lc__addr net;  /* host bits clear */
	int version;   /* 4 or 6 */
	int prefix;
} lc__cidr;

/* Parse an address; 0 with *version set, or -1. */
int lc__ip_parse(const char *s, int *version, lc__addr *a);
/* Same, setting LC_EINVALID naming field. */
int lc__ip_check(const char *field, const char *s, int *version, lc__addr *a);
void lc__ip_format(int version, const lc__addr *a, char out[LC__IP_TEXT]);

/*
 * Parse "addr/prefix". strict: host bits set is LC_EINVALID; else they are
 * cleared. Sets LC_EINVALID naming field.
 */
int lc__cidr_parse(const char *field, const char *s, int strict, lc__cidr *c);
void lc__cidr_format(const lc__cidr *c, char out[LC__CIDR_TEXT]);
/* The last address of the CIDR (the IPv4 broadcast). */
void lc__cidr_last(const lc__cidr *c, lc__addr *last);
int lc__cidr_contains(const lc__cidr *c, int version, const lc__addr *a);
int lc__cidr_overlap(const lc__cidr *a, const lc__cidr *b);
/* Number of addresses in [a, b] (b >= a), saturating at UINT64_MAX. */
uint64_t lc__addr_span(const lc__addr *a, const lc__addr *b);

int lc__addr_cmp(const lc__addr *a, const lc__addr *b);
/* a + 1 and a - 1 (wrapping); 1 if it wrapped. */
int lc__addr_inc(lc__addr *a);
int lc__addr_dec(lc__addr *a);
int lc__addr_is_zero(const lc__addr *a);
/* Numbers (segment ids) as addresses. */
void lc__addr_from_u64(lc__addr *a, uint64_t v);
uint64_t lc__addr_to_u64(const lc__addr *a);

#endif
