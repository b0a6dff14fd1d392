/* Internal: what the server files (server.c, action.c, reconcile.c) share. */
#ifndef LC_COMPUTE_SERVER_INTERNAL_H
#define LC_COMPUTE_SERVER_INTERNAL_H

#include <libcloud/compute_host.h>
#include <libcloud/server.h>
#include <libcloud/sys/driver.h>

#include "compute/compute.h"
#include "compute/imageref.h"
#include "core/nlist.h"

/* The driver's view of a server on a host, with the storage its strings point into. */
typedef struct lc__inst {
	lc_compute_instance ci;
	lc__flavor_spec flavor;
	const char **extra;
	const char **props;
	lc__cimage img;
	int has_img;
	char dir[4096];
	char cfg[4200];
	char host[LC_HOST_NAME_MAX + 1];
	char uri[LC_HOST_URI_MAX + 1];
	char driver[LC_DRIVER_NAME_MAX + 1];
	lc_session *session;
	lc_compute_nic *nics; /* the server's ports, read with the host */
	struct lc__inst_nic {
		char port[LC__ID_TEXT], network[LC__ID_TEXT], mac[18];
	} *nic_store;
	size_t nnics;
} lc__inst;

/*
 * Fill the view of server r placed on host_name with flavor blob `flavor`
 * (NULL: the server's own). Reads the host (driver, uri) in a read
 * transaction of its own. flags: LC__INST_IMAGE: the image's format and
 * properties through the image service (with session s), and a fetch
 * callback; LC__INST_NO_DIR: do not create the instance directory (a
 * destroy, which only removes it). Else the directory is created.
 */
enum { LC__INST_IMAGE = 1u << 0, LC__INST_NO_DIR = 1u << 1 };
int lc__inst_init(lc__inst *in, lc__compute *cs, lc_session *s, const lc__rec *r, const char *host_name,
		  const lc__val *flavor, unsigned int flags);
void lc__inst_fini(lc__inst *in);

int lc__user_data_check(const char *b64);
int lc__metadata_check(const char *const *md, size_t *count);
void lc__random_password(char *out, size_t len);
int lc__parse_time(const char *s, int64_t *out);

/* Hosts of a group's members, read in t (names point into *store and the records). */
int lc__group_hosts_txn(lc__txn *t, const char *group_id, lc__strlist *out, char **store);

/* Apply host usage changes to the cache after a commit. */
void lc__apply_deltas(lc__compute *cs, const lc__host_delta *d, size_t n);

/* Give back a server's quota and host allocation (if held). */
int lc__server_release(lc__txn *t, const lc__rec *r, lc__host_delta *d);
/* Remove a server record and everything it holds; ports given by the user are unbound (ids into kept, may be NULL). */
int lc__server_remove(lc__txn *t, const lc__rec *r, lc__host_delta deltas[2], size_t *nd, lc__nl *kept);
/*
 * Settle the cores/RAM quota of a resize: during it the project is charged
 * the larger of the two flavors; keep_new 1 keeps the new one (confirm),
 * 0 the old one (revert, or delete of a resized server: release the extra).
 */
int lc__resize_quota_settle(lc__txn *t, const lc__rec *r, int keep_new);

/* Record a finished confirm (1) or revert (0) of a resize (in t). */
int lc__finish_resize_record(lc__txn *t, const lc__rec *r, int confirm, lc__host_delta *d);

/* Destroy a server's instance through the driver of `host`. */
int lc__destroy_on(lc__compute *cs, lc_session *s, const lc__rec *r, const char *host, const lc__val *flavor);

/* ---- network attachments (server_net.c) ---- */

/* The ports a create gave one server: made for it, or the caller's. */
typedef struct lc__srv_ports {
	size_t n;                                          /* ports attached */
	char group_made[LC__ID_TEXT];                      /* the default security group made on the way */
	char made_blob[LC_SERVER_NICS_MAX * LC__ID_TEXT];  /* the made ones, "id\0id\0": the server's SRV_PORTS */
	size_t made_len;
	char all_blob[LC_SERVER_NICS_MAX * LC__ID_TEXT];   /* all of them in order: the server's SRV_NICS */
	size_t all_len;
} lc__srv_ports;

/* Check networks and nics of create options (no transaction). */
int lc__nics_check(const lc_server_opts *o, unsigned int max_count);
/* The network of networks "auto" in t: net gets its id, or "" for no network. */
int lc__nics_auto_tx(lc__txn *t, const lc_server_opts *o, const char *project, char net[LC__ID_TEXT]);
/* Attach one server's ports in t (before its record is written: out->made_blob goes in it). */
int lc__nics_attach_tx(lc__txn *t, const lc_server_opts *o, const char *auto_net, const char *project,
		       const char *server_id, const char *host, lc__srv_ports *out);
/* After the commit: tell the network driver about the ports. */
int lc__nics_notify(lc_session *s, const lc__srv_ports *p);
/* Before the write that lets a server's ports go: tell the driver that the ports made for it (made:
 * the server's SRV_PORTS) go. */
void lc__server_ports_gone(lc_session *s, const lc__val *made);
/* In t: delete the ports made for r, unbind the others (their ids into kept, may be NULL). */
int lc__server_ports_release_tx(lc__txn *t, const lc__rec *r, lc__nl *kept);
/* In t: 1 if every port bound to r was made for it (a delete unbinds none), 0 if not, or an error. */
int lc__server_ports_all_made(lc__txn *t, const lc__rec *r);
/* After that commit: tell the driver about the unbound ports, and free kept. */
void lc__server_ports_kept(lc_session *s, lc__nl *kept);
/* network_data.json of server r (its ports, addresses, subnets), in a read transaction of st; free(*out). */
int lc__netdata_json(lc__store *st, const lc__rec *r, char **out, size_t *len);
/* Read the ports of server r into in->ci.nics (in t). */
int lc__inst_nics(lc__inst *in, lc__txn *t, const lc__rec *r);

#endif
