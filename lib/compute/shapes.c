/* The compute record types: fields, limits, who may set what, and indexes. */
#include "compute/compute.h"

#include <libcloud/flavor.h>
#include <libcloud/keypair.h>
#include <libcloud/server.h>

#define ID_FIELD { "id", LC__T_ID, 0, 0, LC__F_FILTER }
#define CREATED_FIELD { "created_at", LC__T_TIME, 0, 0, 0 }
#define INT_FIELD(n) { n, LC__T_INT, 0, 0, 0 }

const lc__dbdef lc__compute_config_db = { "compute.config", 0 };

static const lc__dbdef flavor_db = { "flavor", 0 }, flavor_id_db = { "flavor.flavorid", 0 },
		       flavor_name_db = { "flavor.name", 0 };
static const lc__dbdef flavor_access_db = { "flavor_access", 0 },
		       flavor_access_flavor_db = { "flavor_access.flavor", MDB_DUPSORT };
static const lc__dbdef keypair_db = { "keypair", 0 }, keypair_name_db = { "keypair.name", 0 };
static const lc__dbdef host_db = { "compute_host", 0 }, host_name_db = { "compute_host.name", 0 };
static const lc__dbdef aggregate_db = { "aggregate", 0 }, aggregate_name_db = { "aggregate.name", 0 },
		       aggregate_number_db = { "aggregate.number", 0 };
static const lc__dbdef group_db = { "server_group", 0 };
static const lc__dbdef server_db = { "server", 0 }, server_host_db = { "server.host", MDB_DUPSORT },
		       server_prev_host_db = { "server.prev_host", MDB_DUPSORT };
/* a server's actions are listed through the (server, request) index: request ids are time-ordered */
static const lc__dbdef iaction_db = { "instance_action", 0 }, iaction_request_db = { "instance_action.request", 0 };

static const lc__field flavor_fields[] = {
	[FLV_ID] = ID_FIELD,
	[FLV_FLAVORID] = { "flavorid", LC__T_STR, 1, LC_FLAVOR_NAME_MAX, LC__F_CREATE },
	[FLV_NAME] = { "name", LC__T_STR, 1, LC_FLAVOR_NAME_MAX, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[FLV_DESCRIPTION] = { "description", LC__T_STR, 0, 65535,
			      LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE },
	[FLV_VCPUS] = INT_FIELD("vcpus"),
	[FLV_RAM] = INT_FIELD("ram"),
	[FLV_DISK] = INT_FIELD("disk"),
	[FLV_EPHEMERAL] = INT_FIELD("ephemeral"),
	[FLV_SWAP] = INT_FIELD("swap"),
	[FLV_PUBLIC] = { "is_public", LC__T_BOOL, 0, 0, LC__F_CREATE },
	[FLV_DISABLED] = { "disabled", LC__T_BOOL, 0, 0, 0 },
	[FLV_EXTRA] = { "extra_specs", LC__T_BLOB, 0, 0, LC__F_NULLABLE },
	[FLV_CREATED] = CREATED_FIELD,
};
static const lc__index flavor_indexes[] = {
	[FLV_IX_FLAVORID] = { &flavor_id_db, 1, { FLV_FLAVORID }, LC__I_UNIQUE, "id" },
	[FLV_IX_NAME] = { &flavor_name_db, 1, { FLV_NAME }, LC__I_UNIQUE, "name" },
};
const lc__shape lc__flavor_shape = {
	"flavor", &flavor_db, 1, FLV_NFIELDS, flavor_fields, 2, flavor_indexes, -1,
};

/* An access entry's id is "<flavor uuid>/<project id>". */
static const lc__field flavor_access_fields[] = {
	[FAC_ID] = { "id", LC__T_STR, 1, 80, 0 },
	[FAC_FLAVOR] = { "flavor_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[FAC_PROJECT] = { "tenant_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[FAC_CREATED] = CREATED_FIELD,
};
static const lc__index flavor_access_indexes[] = {
	[FAC_IX_FLAVOR] = { &flavor_access_flavor_db, 1, { FAC_FLAVOR }, 0, "flavor" },
};
const lc__shape lc__flavor_access_shape = {
	"flavor_access", &flavor_access_db, 1, FAC_NFIELDS, flavor_access_fields, 1, flavor_access_indexes,
	FAC_PROJECT,
};

static const lc__field keypair_fields[] = {
	[KP_ID] = ID_FIELD,
	[KP_USER] = { "user_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[KP_NAME] = { "name", LC__T_STR, 1, LC_KEYPAIR_NAME_MAX, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[KP_TYPE] = { "type", LC__T_STR, 1, 16, LC__F_FILTER },
	[KP_PUBLIC] = { "public_key", LC__T_STR, 1, LC_KEYPAIR_PUBLIC_KEY_MAX, 0 },
	[KP_FINGERPRINT] = { "fingerprint", LC__T_STR, 1, 128, 0 },
	[KP_CREATED] = CREATED_FIELD,
	/* set only on the snapshot a generating create returns: never stored */
	[KP_PRIVATE] = { "private_key", LC__T_STR, 0, 65535, LC__F_SECRET | LC__F_NULLABLE },
};
static const lc__index keypair_indexes[] = {
	[KP_IX_NAME] = { &keypair_name_db, 2, { KP_USER, KP_NAME }, LC__I_UNIQUE, "name for this user" },
};
const lc__shape lc__keypair_shape = {
	"keypair", &keypair_db, 1, KP_NFIELDS, keypair_fields, 1, keypair_indexes, -1,
};

static const lc__field host_fields[] = {
	[HST_ID] = ID_FIELD,
	[HST_NAME] = { "name", LC__T_STR, 1, LC_HOST_NAME_MAX, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[HST_DRIVER] = { "driver", LC__T_STR, 1, LC_DRIVER_NAME_MAX, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[HST_URI] = { "uri", LC__T_STR, 1, LC_HOST_URI_MAX, LC__F_REQUIRED | LC__F_CREATE },
	[HST_ENABLED] = { "enabled", LC__T_BOOL, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[HST_REASON] = { "disabled_reason", LC__T_STR, 0, 255, LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE },
	[HST_STATE] = { "state", LC__T_STR, 1, 8, LC__F_FILTER },
	[HST_AZ] = { "availability_zone", LC__T_STR, 1, 255, LC__F_FILTER },
	[HST_VCPUS] = INT_FIELD("vcpus"),
	[HST_MEM] = INT_FIELD("memory_mb"),
	[HST_DISK] = INT_FIELD("local_gb"),
	[HST_CPU_RATIO] = INT_FIELD("cpu_allocation_ratio"),
	[HST_RAM_RATIO] = INT_FIELD("ram_allocation_ratio"),
	[HST_DISK_RATIO] = INT_FIELD("disk_allocation_ratio"),
	[HST_VCPUS_USED] = INT_FIELD("vcpus_used"),
	[HST_MEM_USED] = INT_FIELD("memory_mb_used"),
	[HST_DISK_USED] = INT_FIELD("local_gb_used"),
	[HST_RUNNING] = INT_FIELD("running_vms"),
	[HST_HV_TYPE] = { "hypervisor_type", LC__T_STR, 0, 31, 0 },
	[HST_HV_VERSION] = INT_FIELD("hypervisor_version"),
	[HST_ARCH] = { "cpu_arch", LC__T_STR, 0, 31, 0 },
	[HST_GEN] = INT_FIELD("generation"),
	[HST_CREATED] = CREATED_FIELD,
	[HST_UPDATED] = { "updated_at", LC__T_TIME, 0, 0, 0 },
};
static const lc__index host_indexes[] = {
	[HST_IX_NAME] = { &host_name_db, 1, { HST_NAME }, LC__I_UNIQUE, "name" },
};
const lc__shape lc__host_shape = {
	"compute_host", &host_db, 1, HST_NFIELDS, host_fields, 1, host_indexes, -1,
};

static const lc__field aggregate_fields[] = {
	[AGG_ID] = ID_FIELD,
	[AGG_NUMBER] = { "number", LC__T_STR, 1, 20, 0 },
	[AGG_NAME] = { "name", LC__T_STR, 1, 255, LC__F_REQUIRED | LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[AGG_AZ] = { "availability_zone", LC__T_STR, 1, 255, LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE },
	[AGG_HOSTS] = { "hosts", LC__T_BLOB, 0, 0, LC__F_NULLABLE },
	[AGG_METADATA] = { "metadata", LC__T_BLOB, 0, 0, LC__F_NULLABLE },
	[AGG_CREATED] = CREATED_FIELD,
	[AGG_UPDATED] = { "updated_at", LC__T_TIME, 0, 0, 0 },
};
static const lc__index aggregate_indexes[] = {
	[AGG_IX_NAME] = { &aggregate_name_db, 1, { AGG_NAME }, LC__I_UNIQUE, "name" },
	[AGG_IX_NUMBER] = { &aggregate_number_db, 1, { AGG_NUMBER }, LC__I_UNIQUE, "number" },
};
const lc__shape lc__aggregate_shape = {
	"aggregate", &aggregate_db, 1, AGG_NFIELDS, aggregate_fields, 2, aggregate_indexes, -1,
};

static const lc__field group_fields[] = {
	[SG_ID] = ID_FIELD,
	[SG_NAME] = { "name", LC__T_STR, 1, 255, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[SG_PROJECT] = { "project_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[SG_USER] = { "user_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[SG_POLICY] = { "policy", LC__T_STR, 1, 32, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[SG_MEMBERS] = { "members", LC__T_BLOB, 0, 0, LC__F_NULLABLE },
	[SG_CREATED] = CREATED_FIELD,
};
const lc__shape lc__server_group_shape = {
	"server_group", &group_db, 1, SG_NFIELDS, group_fields, 0, NULL, SG_PROJECT,
};

static const lc__field server_fields[] = {
	[SRV_ID] = ID_FIELD,
	[SRV_NAME] = { "name", LC__T_STR, 1, LC_SERVER_NAME_MAX, LC__F_REQUIRED | LC__F_CREATE | LC__F_UPDATE },
	[SRV_PROJECT] = { "project_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[SRV_USER] = { "user_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[SRV_VM_STATE] = { "vm_state", LC__T_STR, 1, 32, LC__F_FILTER },
	[SRV_TASK_STATE] = { "task_state", LC__T_STR, 1, 32, LC__F_NULLABLE | LC__F_FILTER },
	[SRV_POWER_STATE] = { "power_state", LC__T_INT, 0, 0, LC__F_FILTER },
	[SRV_FLAVOR_ID] = { "flavor", LC__T_STR, 1, LC_FLAVOR_NAME_MAX, LC__F_FILTER },
	[SRV_FLAVOR] = { "flavor_spec", LC__T_BLOB, 0, 0, 0 },
	[SRV_IMAGE] = { "image", LC__T_ID, 0, 0, LC__F_NULLABLE | LC__F_FILTER },
	[SRV_KEY_NAME] = { "key_name", LC__T_STR, 1, LC_KEYPAIR_NAME_MAX, LC__F_NULLABLE | LC__F_FILTER },
	[SRV_KEY_DATA] = { "key_data", LC__T_STR, 1, LC_KEYPAIR_PUBLIC_KEY_MAX, LC__F_NULLABLE },
	[SRV_HOST] = { "host", LC__T_STR, 1, LC_HOST_NAME_MAX, LC__F_NULLABLE | LC__F_FILTER },
	[SRV_AZ] = { "availability_zone", LC__T_STR, 1, 255, LC__F_NULLABLE | LC__F_FILTER },
	[SRV_METADATA] = { "metadata", LC__T_BLOB, 0, 0, LC__F_NULLABLE },
	[SRV_USER_DATA] = { "user_data", LC__T_STR, 0, LC_SERVER_USER_DATA_MAX, LC__F_NULLABLE },
	[SRV_CREATED] = CREATED_FIELD,
	[SRV_UPDATED] = { "updated_at", LC__T_TIME, 0, 0, 0 },
	[SRV_LAUNCHED] = { "launched_at", LC__T_TIME, 0, 0, LC__F_NULLABLE },
	[SRV_FAULT_CODE] = { "fault_code", LC__T_INT, 0, 0, LC__F_NULLABLE },
	[SRV_FAULT_MESSAGE] = { "fault_message", LC__T_STR, 0, 4096, LC__F_NULLABLE },
	[SRV_FAULT_TIME] = { "fault_time", LC__T_TIME, 0, 0, LC__F_NULLABLE },
	[SRV_GROUP] = { "server_group", LC__T_ID, 0, 0, LC__F_NULLABLE },
	[SRV_HELD] = { "held", LC__T_BOOL, 0, 0, 0 },
	[SRV_PREV_FLAVOR] = { "prev_flavor_spec", LC__T_BLOB, 0, 0, LC__F_NULLABLE },
	[SRV_PREV_HOST] = { "prev_host", LC__T_STR, 1, LC_HOST_NAME_MAX, LC__F_NULLABLE },
	[SRV_CONFIG_DRIVE] = { "config_drive", LC__T_BOOL, 0, 0, 0 },
	[SRV_TASK_ARG] = { "task_arg", LC__T_STR, 0, 1024, LC__F_NULLABLE },
	/* set only on the snapshot create and rebuild return: never stored */
	[SRV_ADMIN_PASS] = { "admin_pass", LC__T_STR, 0, 255, LC__F_SECRET | LC__F_NULLABLE },
	/* Nova's hostId: sha224(project id + host), kept with the host */
	[SRV_HOST_ID] = { "hostId", LC__T_STR, 0, 56, LC__F_NULLABLE },
	/* the ports made for the server ("id\0id\0"): deleted with it; ports the user gave are unbound */
	[SRV_PORTS] = { "made_ports", LC__T_BLOB, 0, 0, LC__F_NULLABLE },
	/* every port attached at create, in order (eth0 first): the order of addresses and interfaces */
	[SRV_NICS] = { "nics", LC__T_BLOB, 0, 0, LC__F_NULLABLE },
};
static const lc__index server_indexes[] = {
	[SRV_IX_HOST] = { &server_host_db, 1, { SRV_HOST }, 0, "host" },
	[SRV_IX_PREV_HOST] = { &server_prev_host_db, 1, { SRV_PREV_HOST }, 0, "previous host" },
};
const lc__shape lc__server_shape = {
	"server", &server_db, 1, SRV_NFIELDS, server_fields, 2, server_indexes, SRV_PROJECT,
};

static const lc__field iaction_fields[] = {
	[IA_ID] = ID_FIELD,
	[IA_SERVER] = { "instance_uuid", LC__T_ID, 0, 0, LC__F_FILTER },
	[IA_PROJECT] = { "project_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[IA_USER] = { "user_id", LC__T_ID, 0, 0, LC__F_NULLABLE },
	[IA_ACTION] = { "action", LC__T_STR, 1, 64, LC__F_FILTER },
	[IA_REQUEST] = { "request_id", LC__T_STR, 1, 64, 0 },
	[IA_START] = { "start_time", LC__T_TIME, 0, 0, 0 },
	[IA_FINISH] = { "finish_time", LC__T_TIME, 0, 0, LC__F_NULLABLE },
	[IA_RESULT] = { "result", LC__T_STR, 1, 16, LC__F_NULLABLE },
	[IA_MESSAGE] = { "message", LC__T_STR, 0, 4096, LC__F_NULLABLE },
};
static const lc__index iaction_indexes[] = {
	[IA_IX_REQUEST] = { &iaction_request_db, 2, { IA_SERVER, IA_REQUEST }, LC__I_UNIQUE, "request id" },
};
const lc__shape lc__iaction_shape = {
	"instance_action", &iaction_db, 1, IA_NFIELDS, iaction_fields, 1, iaction_indexes, IA_PROJECT,
};

const lc__dbdef *const lc__compute_dbs[] = {
	&lc__compute_config_db,
	&flavor_db, &flavor_id_db, &flavor_name_db,
	&flavor_access_db, &flavor_access_flavor_db,
	&keypair_db, &keypair_name_db,
	&host_db, &host_name_db,
	&aggregate_db, &aggregate_name_db, &aggregate_number_db,
	&group_db,
	&server_db, &server_host_db, &server_prev_host_db,
	&iaction_db, &iaction_request_db,
	NULL,
};
