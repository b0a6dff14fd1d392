/*
 * libcloud - networking: security groups and their rules.
 *
 * A security group is a set of rules (direction, ethertype, protocol, port
 * range or ICMP type/code, remote prefix or remote group) applied to the
 * ports that name it. Every project has a group named "default", created
 * on first use with OpenStack's default rules: egress to anywhere over IPv4
 * and IPv6, ingress from members of the same group over IPv4 and IPv6. A
 * new group starts with the two egress rules.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_SECURITY_GROUP_H
#define LIBCLOUD_SECURITY_GROUP_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one security group. */
typedef struct lc_security_group lc_security_group;
/** An iterator over security groups. */
typedef struct lc_security_group_iter lc_security_group_iter;
/** An immutable snapshot of one security group rule. */
typedef struct lc_security_group_rule lc_security_group_rule;
/** An iterator over security group rules. */
typedef struct lc_security_group_rule_iter lc_security_group_rule_iter;

/** Current version of lc_security_group_opts. */
#define LC_SECURITY_GROUP_OPTS_VERSION 1

/** Attributes for lc_security_group_create() and lc_security_group_update(). NULL means "not given". */
typedef struct lc_security_group_opts {
	unsigned int version;     /**< LC_SECURITY_GROUP_OPTS_VERSION */
	const char *name;         /**< 0..LC_NET_NAME_MAX bytes; "default" is reserved */
	const char *description;  /**< 0..LC_DESCRIPTION_MAX bytes */
	const char *project_id;   /**< owner, create only; default: the session's project */
	int stateful;             /**< 1, 0 or LC_UNSET (create default: 1); changed only while no port uses the group */
	const char *const *tags;  /**< NULL-terminated tags (replace them on update) */
} lc_security_group_opts;

/** Static initialiser for lc_security_group_opts: nothing given. */
#define LC_SECURITY_GROUP_OPTS_INIT { LC_SECURITY_GROUP_OPTS_VERSION, NULL, NULL, NULL, LC_UNSET, NULL }

/**
 * Initialise an lc_security_group_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_SECURITY_GROUP_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_opts_init(lc_security_group_opts *opts, unsigned int version);

/**
 * Create a security group with the two default egress rules (the project's
 * default group is created first if it does not exist yet).
 *
 * @param out out, may be NULL: the new group; free with lc_security_group_free()
 * @param s the caller; needs member of the owning project (policy "network:create_security_group")
 * @param opts the attributes
 * @return 0, LC_EINVALID (bad name, "default"), LC_EFORBIDDEN, LC_EQUOTA
 *         (security groups or rules), LC_ENOTSUPPORTED, LC_EBACKEND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_create(lc_security_group **out, lc_session *s, const lc_security_group_opts *opts);

/**
 * Get a security group by id.
 *
 * @param out out: the snapshot; free with lc_security_group_free()
 * @param s the caller (policy "network:get_security_group")
 * @param id the group id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_get(lc_security_group **out, lc_session *s, const char *id);

/**
 * Get a project's default security group, creating it (with its rules) on
 * first use.
 *
 * @param out out: the snapshot; free with lc_security_group_free()
 * @param s the caller; a reader of the project (policy "network:get_security_group")
 * @param project_id the project, or NULL for the session's
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EQUOTA, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_default(lc_security_group **out, lc_session *s, const char *project_id);

/**
 * Update a security group's name, description, stateful flag or tags. The
 * default group cannot be renamed.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs member of the owner (policy "network:update_security_group")
 * @param id the group id
 * @param opts what to change (project_id must not be given)
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT (stateful
 *         changed while ports use it), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_update(lc_security_group **out, lc_session *s, const char *id,
				       const lc_security_group_opts *opts);

/**
 * Delete a security group with its rules (and the rules of other groups
 * that name it as their remote group).
 *
 * @param s the caller; needs member of the owner (policy "network:delete_security_group")
 * @param id the group id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT (ports use
 *         it; the default group, unless the caller is admin), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing the caller's security groups (creating the project's
 * default group on first use). Filters: "id", "name", "project_id", "stateful".
 *
 * @param out out: the iterator; free with lc_security_group_iter_free()
 * @param s the caller (policy "network:get_security_group")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_security_group_iter_new(lc_security_group_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next security group of an iterator.
 *
 * @param out out: the next snapshot; free with lc_security_group_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_security_group_iter_next(lc_security_group **out, lc_security_group_iter *it);

/** Free a security group iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_security_group_iter_free(lc_security_group_iter *it);

/** The group's id; borrowed until lc_security_group_free(). Since 0.1. */
LC_EXTERN const char *lc_security_group_id(const lc_security_group *g);
/** The owning project's id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_project_id(const lc_security_group *g);
/** The group's name; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_name(const lc_security_group *g);
/** The group's description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_description(const lc_security_group *g);
/** 1 if the group is stateful. Since 0.1. */
LC_EXTERN int lc_security_group_stateful(const lc_security_group *g);
/** 1 if this is its project's default group. Since 0.1. */
LC_EXTERN int lc_security_group_is_default(const lc_security_group *g);
/** Number of tags. Since 0.1. */
LC_EXTERN size_t lc_security_group_tag_count(const lc_security_group *g);
/**
 * The i-th tag of a security group.
 *
 * @param g the group
 * @param i 0..lc_security_group_tag_count() - 1
 * @return the tag, borrowed until lc_security_group_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_security_group_tag(const lc_security_group *g, size_t i);
/** Creation time, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_security_group_created_at(const lc_security_group *g);
/** Last change, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_security_group_updated_at(const lc_security_group *g);
/** Revision number. Since 0.1. */
LC_EXTERN int64_t lc_security_group_revision(const lc_security_group *g);
/** Free a security group snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_security_group_free(lc_security_group *g);

/** Current version of lc_security_group_rule_opts. */
#define LC_SECURITY_GROUP_RULE_OPTS_VERSION 1

/**
 * Attributes for lc_security_group_rule_create(). Rules cannot be changed,
 * only created and deleted.
 */
typedef struct lc_security_group_rule_opts {
	unsigned int version;          /**< LC_SECURITY_GROUP_RULE_OPTS_VERSION */
	const char *security_group_id; /**< required */
	const char *direction;         /**< required: "ingress" or "egress" */
	const char *ethertype;         /**< "IPv4" (default) or "IPv6" */
	const char *protocol;          /**< NULL: any; a name ("tcp", "udp", "icmp", "ipv6-icmp", "sctp", ...)
	                                    or a number "0".."255" */
	int port_range_min;            /**< tcp/udp/sctp/dccp/udplite: 1..65535; icmp: the type 0..255;
	                                    LC_UNSET: none */
	int port_range_max;            /**< tcp/...: min..65535; icmp: the code 0..255 (needs a type); LC_UNSET: none */
	const char *remote_ip_prefix;  /**< a CIDR of the rule's ethertype (host bits are cleared), or NULL */
	const char *remote_group_id;   /**< a group of the same project, or NULL (not with remote_ip_prefix) */
	const char *description;       /**< 0..LC_DESCRIPTION_MAX bytes */
	const char *project_id;        /**< default: the group's project */
} lc_security_group_rule_opts;

/** Static initialiser for lc_security_group_rule_opts: nothing given. */
#define LC_SECURITY_GROUP_RULE_OPTS_INIT { LC_SECURITY_GROUP_RULE_OPTS_VERSION, NULL, NULL, NULL, NULL, LC_UNSET, \
					   LC_UNSET, NULL, NULL, NULL, NULL }

/**
 * Initialise an lc_security_group_rule_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_SECURITY_GROUP_RULE_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_rule_opts_init(lc_security_group_rule_opts *opts, unsigned int version);

/**
 * Add a rule to a security group. The network driver is told.
 *
 * @param out out, may be NULL: the new rule; free with lc_security_group_rule_free()
 * @param s the caller; needs member of the group's project (policy
 *        "network:create_security_group_rule")
 * @param opts security_group_id and direction required
 * @return 0, LC_EINVALID (unknown direction, ethertype or protocol; ports
 *         without a port protocol; min > max; out of range; an ICMP code
 *         without a type; a prefix of the other family; both remotes),
 *         LC_ENOTFOUND (group or remote group), LC_EFORBIDDEN, LC_EEXISTS
 *         (the same rule exists), LC_EQUOTA (rules), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_rule_create(lc_security_group_rule **out, lc_session *s,
					    const lc_security_group_rule_opts *opts);

/**
 * Get a security group rule by id.
 *
 * @param out out: the snapshot; free with lc_security_group_rule_free()
 * @param s the caller (policy "network:get_security_group_rule")
 * @param id the rule id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_rule_get(lc_security_group_rule **out, lc_session *s, const char *id);

/**
 * Delete a security group rule.
 *
 * @param s the caller; needs member of the owner (policy "network:delete_security_group_rule")
 * @param id the rule id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_security_group_rule_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing the caller's security group rules. Filters: "id",
 * "project_id", "security_group_id", "direction", "ethertype", "protocol",
 * "port_range_min", "port_range_max", "remote_ip_prefix", "remote_group_id".
 *
 * @param out out: the iterator; free with lc_security_group_rule_iter_free()
 * @param s the caller (policy "network:get_security_group_rule")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_security_group_rule_iter_new(lc_security_group_rule_iter **out, lc_session *s,
					      const lc_list_opts *opts);

/**
 * Next rule of an iterator.
 *
 * @param out out: the next snapshot; free with lc_security_group_rule_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_security_group_rule_iter_next(lc_security_group_rule **out, lc_security_group_rule_iter *it);

/** Free a rule iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_security_group_rule_iter_free(lc_security_group_rule_iter *it);

/** The rule's id; borrowed until lc_security_group_rule_free(). Since 0.1. */
LC_EXTERN const char *lc_security_group_rule_id(const lc_security_group_rule *r);
/** The owning project's id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_rule_project_id(const lc_security_group_rule *r);
/** The group the rule belongs to; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_rule_group_id(const lc_security_group_rule *r);
/** "ingress" or "egress"; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_rule_direction(const lc_security_group_rule *r);
/** "IPv4" or "IPv6"; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_rule_ethertype(const lc_security_group_rule *r);
/** The protocol as given (a name or a number), or NULL for any; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_rule_protocol(const lc_security_group_rule *r);
/** The port range's first port (or the ICMP type), or -1 (LC_UNSET) if none. Since 0.1. */
LC_EXTERN int lc_security_group_rule_port_range_min(const lc_security_group_rule *r);
/** The port range's last port (or the ICMP code), or -1 (LC_UNSET) if none. Since 0.1. */
LC_EXTERN int lc_security_group_rule_port_range_max(const lc_security_group_rule *r);
/** The remote CIDR, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_rule_remote_ip_prefix(const lc_security_group_rule *r);
/** The remote group, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_rule_remote_group_id(const lc_security_group_rule *r);
/** The description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_security_group_rule_description(const lc_security_group_rule *r);
/** Creation time, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_security_group_rule_created_at(const lc_security_group_rule *r);
/** Revision number. Since 0.1. */
LC_EXTERN int64_t lc_security_group_rule_revision(const lc_security_group_rule *r);
/** Free a rule snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_security_group_rule_free(lc_security_group_rule *r);

LC_END_DECLS

#endif
