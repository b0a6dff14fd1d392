/* Internal: the image service's descriptor. */
#ifndef LC_IMAGE_SERVICE_H
#define LC_IMAGE_SERVICE_H

#include "services.h"

extern const lc__service lc__image_service;

#endif
