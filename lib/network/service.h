/* Internal: the network service's descriptor. */
#ifndef LC_NETWORK_SERVICE_H
#define LC_NETWORK_SERVICE_H

#include "services.h"

extern const lc__service lc__network_service;

#endif
