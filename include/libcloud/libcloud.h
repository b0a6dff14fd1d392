/*
 * libcloud - a private cloud (the OpenStack model) as an embeddable C library.
 *
 * The umbrella header: include this one.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_H
#define LIBCLOUD_H

#include "common.h"
#include <libcloud/version.h>
#include "errors.h"
#include "list.h"
#include "cloud.h"
#include "event.h"
#include "session.h"
#include "domain.h"
#include "project.h"
#include "user.h"
#include "role.h"
#include "quota.h"
#include "api.h"
#include "image.h"
#include "network.h"
#include "subnet.h"
#include "port.h"
#include "router.h"
#include "floating_ip.h"
#include "security_group.h"
#include "flavor.h"
#include "keypair.h"
#include "compute_host.h"
#include "aggregate.h"
#include "server_group.h"
#include "server.h"

#endif
