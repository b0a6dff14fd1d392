/* Internal: the config drive image of an instance, made from its tree (libvirt driver). */
#ifndef LC_DRIVERS_COMPUTE_CONFIGISO_H
#define LC_DRIVERS_COMPUTE_CONFIGISO_H

/*
 * Write `out`, an ISO 9660 image with Rock Ridge and Joliet names and the
 * volume label "config-2" (what cloud-init's ConfigDrive source looks for),
 * holding the tree at `dir`; made by genisoimage, as Nova makes it.
 * Returns 0 or a negative LC_E* code set through lc_compute_driver_error().
 */
int lc__config_iso(const char *dir, const char *out);

#endif
