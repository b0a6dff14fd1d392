/* Internal: the identity service's descriptor. */
#ifndef LC_IDENTITY_SERVICE_H
#define LC_IDENTITY_SERVICE_H

#include "services.h"

extern const lc__service lc__identity_service;

#endif
