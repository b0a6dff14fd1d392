/* The services built into the library, in the order they open. */
#include "services.h"

#include "identity/service.h"
#include "image/service.h"
#include "network/service.h"
#include "compute/service.h"

const lc__service *const lc__services[] = {
	[LC__SVC_IDENTITY] = &lc__identity_service,
	[LC__SVC_IMAGE] = &lc__image_service,
	[LC__SVC_NETWORK] = &lc__network_service,
	[LC__SVC_COMPUTE] = &lc__compute_service,
};

const size_t lc__nservices = sizeof(lc__services) / sizeof(lc__services[0]);
