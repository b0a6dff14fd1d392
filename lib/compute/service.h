/* Internal: the compute service's descriptor. */
#ifndef LC_COMPUTE_SERVICE_H
#define LC_COMPUTE_SERVICE_H

#include "compute/compute.h"

extern const lc__service lc__compute_service;

#endif
