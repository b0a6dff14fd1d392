/* MAC addresses: generated with OpenStack's locally administered fa:16:3e prefix, or checked. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/random.h"
#include "network/net.h"

void lc__mac_generate(char out[LC__MAC_TEXT])
{
	unsigned char r[3];

	lc__random_buf(r, sizeof(r));
	/* 0xfa: the locally administered bit is set and the multicast bit clear */
	snprintf(out, LC__MAC_TEXT, "fa:16:3e:%02x:%02x:%02x", r[0], r[1], r[2]);
}

int lc__mac_canon(const char *field, const char *s, char out[LC__MAC_TEXT])
{
	unsigned int b[6];
	int zero = 1;

	if (strlen(s) != 17)
		return lc__error_set(LC_EINVALID, "%s '%.32s' is not a MAC address (xx:xx:xx:xx:xx:xx)", field, s);
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? (s[i] != ':' && s[i] != '-') : !isxdigit((unsigned char)s[i]))
			return lc__error_set(LC_EINVALID, "%s '%.32s' is not a MAC address (xx:xx:xx:xx:xx:xx)",
					     field, s);
	}
	for (int i = 0; i < 6; i++) {
		sscanf(s + 3 * i, "%2x", &b[i]);
		zero &= b[i] == 0;
	}
	if (zero)
		return lc__error_set(LC_EINVALID, "%s 00:00:00:00:00:00 is not allowed", field);
	if (b[0] & 1)
		return lc__error_set(LC_EINVALID, "%s '%.32s' is a multicast address", field, s);
	snprintf(out, LC__MAC_TEXT, "%02x:%02x:%02x:%02x:%02x:%02x", b[0] & 0xffu, b[1] & 0xffu, b[2] & 0xffu,
		 b[3] & 0xffu, b[4] & 0xffu, b[5] & 0xffu);
	return 0;
}

int lc__mac_eui64(const lc__cidr *prefix, const char *mac, lc__addr *out)
{
	unsigned int b[6];

	if (prefix->version != 6 || strlen(mac) != 17 ||
	    sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return lc__error_set(LC_ECORRUPT, "no EUI-64 address for MAC %.32s", mac);
	*out = prefix->net;
	/* RFC 4291 appendix A: the universal/local bit flipped, ff:fe in the middle */
	out->b[8] = (uint8_t)(b[0] ^ 0x02u);
	out->b[9] = (uint8_t)b[1];
	out->b[10] = (uint8_t)b[2];
	out->b[11] = 0xff;
	out->b[12] = 0xfe;
	out->b[13] = (uint8_t)b[3];
	out->b[14] = (uint8_t)b[4];
	out->b[15] = (uint8_t)b[5];
	return 0;
}
