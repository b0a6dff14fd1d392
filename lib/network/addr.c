/* IP addresses and CIDRs: parsing, printing, arithmetic on 128-bit numbers. */
#include "network/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int lc__ip_parse(const char *s, int *version, lc__addr *a)
{
	unsigned char buf[16];

	if (s == NULL || strlen(s) >= LC__IP_TEXT)
		return -1;
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, buf) == 1) {
		memcpy(a->b + 12, buf, 4);
		*version = 4;
		return 0;
	}
	if (strchr(s, ':') != NULL && inet_pton(AF_INET6, s, buf) == 1) {
		memcpy(a->b, buf, 16);
		*version = 6;
		return 0;
	}
	return -1;
}

int lc__ip_check(const char *field, const char *s, int *version, lc__addr *a)
{
	if (s == NULL)
		return lc__error_set(LC_EINVALID, "%s is missing", field);
	if (lc__ip_parse(s, version, a) < 0)
		return lc__error_set(LC_EINVALID, "%s '%.64s' is not a valid IP address", field, s);
	return 0;
}

void lc__ip_format(int version, const lc__addr *a, char out[LC__IP_TEXT])
{
	if (version == 4)
		inet_ntop(AF_INET, a->b + 12, out, LC__IP_TEXT);
	else
		inet_ntop(AF_INET6, a->b, out, LC__IP_TEXT);
}

/* Bit i (0 = most significant of the family's bits) of the host part mask. */
static void mask_host(lc__addr *a, int version, int prefix, int set)
{
	int bits = version == 4 ? 32 : 128, base = version == 4 ? 96 : 0;

	for (int i = prefix; i < bits; i++) {
		int bit = base + i;
		uint8_t m = (uint8_t)(0x80u >> (bit % 8));

		if (set)
			a->b[bit / 8] |= m;
		else
			a->b[bit / 8] &= (uint8_t)~m;
	}
}

int lc__cidr_parse(const char *field, const char *s, int strict, lc__cidr *c)
{
	char addr[LC__IP_TEXT];
	const char *slash;
	char *end;
	long prefix;
	size_t n;
	lc__addr net;

	if (s == NULL)
		return lc__error_set(LC_EINVALID, "%s is missing", field);
	slash = strchr(s, '/');
	if (slash == NULL)
		return lc__error_set(LC_EINVALID, "%s '%.64s' is not a CIDR (address/prefix)", field, s);
	n = (size_t)(slash - s);
	if (n == 0 || n >= sizeof(addr))
		return lc__error_set(LC_EINVALID, "%s '%.64s' is not a valid CIDR", field, s);
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (lc__ip_parse(addr, &c->version, &c->net) < 0)
		return lc__error_set(LC_EINVALID, "%s '%.64s' is not a valid CIDR", field, s);
	if (slash[1] < '0' || slash[1] > '9' || strlen(slash + 1) > 3)
		return lc__error_set(LC_EINVALID, "%s '%.64s' has an invalid prefix length", field, s);
	prefix = strtol(slash + 1, &end, 10);
	if (*end != '\0' || prefix < 0 || prefix > (c->version == 4 ? 32 : 128) ||
	    (slash[1] == '0' && slash[2] != '\0'))
		return lc__error_set(LC_EINVALID, "%s '%.64s' has an invalid prefix length", field, s);
	c->prefix = (int)prefix;
	net = c->net;
	mask_host(&net, c->version, c->prefix, 0);
	if (memcmp(&net, &c->net, sizeof(net)) != 0) {
		char canon[LC__CIDR_TEXT];
		lc__cidr fixed = *c;

		fixed.net = net;
		lc__cidr_format(&fixed, canon);
		if (strict)
			return lc__error_set(LC_EINVALID, "%s '%.64s' has host bits set (the network is %s)", field, s,
					     canon);
		c->net = net;
	}
	return 0;
}

void lc__cidr_format(const lc__cidr *c, char out[LC__CIDR_TEXT])
{
	char ip[LC__IP_TEXT];

	lc__ip_format(c->version, &c->net, ip);
	snprintf(out, LC__CIDR_TEXT, "%s/%d", ip, c->prefix);
}

void lc__cidr_last(const lc__cidr *c, lc__addr *last)
{
	*last = c->net;
	mask_host(last, c->version, c->prefix, 1);
}

int lc__cidr_contains(const lc__cidr *c, int version, const lc__addr *a)
{
	lc__addr last;

	if (version != c->version)
		return 0;
	lc__cidr_last(c, &last);
	return lc__addr_cmp(a, &c->net) >= 0 && lc__addr_cmp(a, &last) <= 0;
}

int lc__cidr_overlap(const lc__cidr *a, const lc__cidr *b)
{
	lc__addr la, lb;

	if (a->version != b->version)
		return 0;
	lc__cidr_last(a, &la);
	lc__cidr_last(b, &lb);
	return lc__addr_cmp(&a->net, &lb) <= 0 && lc__addr_cmp(&b->net, &la) <= 0;
}

int lc__addr_cmp(const lc__addr *a, const lc__addr *b)
{
	return memcmp(a->b, b->b, 16);
}

int lc__addr_inc(lc__addr *a)
{
	for (int i = 15; i >= 0; i--)
		if (++a->b[i] != 0)
			return 0;
	return 1;
}

int lc__addr_dec(lc__addr *a)
{
	for (int i = 15; i >= 0; i--)
		if (a->b[i]-- != 0)
			return 0;
	return 1;
}

int lc__addr_is_zero(const lc__addr *a)
{
	for (int i = 0; i < 16; i++)
		if (a->b[i])
			return 0;
	return 1;
}

void lc__addr_from_u64(lc__addr *a, uint64_t v)
{
	memset(a, 0, sizeof(*a));
	for (int i = 15; i >= 8; i--, v >>= 8)
		a->b[i] = (uint8_t)(v & 0xff);
}

uint64_t lc__addr_to_u64(const lc__addr *a)
{
	uint64_t v = 0;

	for (int i = 8; i < 16; i++)
		v = (v << 8) | a->b[i];
	return v;
}

uint64_t lc__addr_span(const lc__addr *a, const lc__addr *b)
{
	uint8_t d[16];
	int borrow = 0;
	uint64_t v = 0;

	for (int i = 15; i >= 0; i--) {
		int x = (int)b->b[i] - (int)a->b[i] - borrow;
		borrow = x < 0;
		d[i] = (uint8_t)(x + (borrow ? 256 : 0));
	}
	for (int i = 0; i < 8; i++)
		if (d[i])
			return UINT64_MAX;
	for (int i = 8; i < 16; i++)
		v = (v << 8) | d[i];
	return v == UINT64_MAX ? v : v + 1;
}
