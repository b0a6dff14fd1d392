/*
 * The libvirt compute driver: one connection per host URI (opened on first
 * use, kept until the driver is freed), domains named "lc-<server id>" with
 * the server id as their UUID, domain XML written with an escaping XML
 * writer from the flavor and the image.
 */
#include <libcloud/sys/compute.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <libcloud/errors.h>

#include "drivers/compute/configiso.h"
#include "drivers/compute/xmlw.h"

typedef struct lv_conn {
	struct lv_conn *next;
	char *uri;
	virConnectPtr conn;
	char type[16]; /* the domain type for this hypervisor: "test", "kvm", "qemu", ... */
} lv_conn;

typedef struct lv_driver {
	lc_compute_driver d;
	pthread_mutex_t lock;
	lv_conn *conns;
} lv_driver;

/* Errors are taken with virGetLastError(); the connection's handler keeps libvirt from printing them. */
static void quiet(void *p, virErrorPtr e)
{
	(void)p;
	(void)e;
}

/* Map libvirt's last error to an LC_E* code with its message. */
static int lv_error(const char *what)
{
	virErrorPtr e = virGetLastError();
	char msg[512];
	int code = LC_EBACKEND;

	if (e && e->code == VIR_ERR_NO_DOMAIN)
		code = LC_ENOTFOUND;
	else if (e && e->code == VIR_ERR_OPERATION_INVALID)
		code = LC_ECONFLICT;
	snprintf(msg, sizeof(msg), "libvirt: %s: %s", what, e && e->message ? e->message : "unknown error");
	virResetLastError();
	return lc_compute_driver_error(code, msg);
}

static int get_conn(lv_driver *lv, const char *uri, lv_conn **out)
{
	lv_conn *c;
	const char *type;

	pthread_mutex_lock(&lv->lock);
	for (c = lv->conns; c; c = c->next)
		if (strcmp(c->uri, uri) == 0)
			break;
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL || (c->uri = strdup(uri)) == NULL) {
			free(c);
			pthread_mutex_unlock(&lv->lock);
			return lc_compute_driver_error(LC_ENOMEM, "out of memory");
		}
		c->conn = virConnectOpen(uri);
		if (c->conn == NULL) {
			int rc = lv_error("cannot connect");

			free(c->uri);
			free(c);
			pthread_mutex_unlock(&lv->lock);
			return rc;
		}
		virConnSetErrorFunc(c->conn, NULL, quiet);
		type = virConnectGetType(c->conn);
		if (type && strcasecmp(type, "Test") == 0)
			snprintf(c->type, sizeof(c->type), "test");
		else if (type && strcasecmp(type, "QEMU") == 0)
			snprintf(c->type, sizeof(c->type), "%s", access("/dev/kvm", R_OK | W_OK) == 0 ? "kvm" : "qemu");
		else
			snprintf(c->type, sizeof(c->type), "%s", type ? type : "kvm");
		for (char *p = c->type; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		c->next = lv->conns;
		lv->conns = c;
	}
	pthread_mutex_unlock(&lv->lock);
	*out = c;
	return 0;
}

static int lookup(lv_driver *lv, const lc_compute_instance *in, lv_conn **conn, virDomainPtr *dom)
{
	int rc = get_conn(lv, in->uri, conn);

	if (rc < 0)
		return rc;
	*dom = virDomainLookupByUUIDString((*conn)->conn, in->id);
	if (*dom == NULL)
		return lv_error("no such domain");
	return 0;
}

static const char *spec(const char *const *kv, const char *key)
{
	for (size_t i = 0; kv && kv[i]; i += 2)
		if (strcmp(kv[i], key) == 0)
			return kv[i + 1];
	return NULL;
}

static int64_t spec_int(const char *const *kv, const char *key)
{
	const char *v = spec(kv, key);

	return v ? strtoll(v, NULL, 10) : 0;
}

static const char *disk_bus(const lc_compute_instance *in)
{
	const char *b = spec(in->image_properties, "hw_disk_bus");

	if (b && (!strcmp(b, "virtio") || !strcmp(b, "scsi") || !strcmp(b, "ide") || !strcmp(b, "sata") ||
		  !strcmp(b, "usb")))
		return b;
	return "virtio";
}

static const char *disk_dev(const char *bus, int n)
{
	static const char *const vd[] = { "vda", "vdb", "vdc", "vdd" }, *const sd[] = { "sda", "sdb", "sdc", "sdd" },
				  *const hd[] = { "hda", "hdb", "hdc", "hdd" };

	return !strcmp(bus, "virtio") ? vd[n] : !strcmp(bus, "ide") ? hd[n] : sd[n];
}

/* The NIC model an image asks for (hw_vif_model), among those QEMU emulates; virtio by default. */
static const char *vif_model(const lc_compute_instance *in)
{
	static const char *const models[] = { "virtio", "e1000", "e1000e", "rtl8139", "ne2k_pci", "pcnet", NULL };
	const char *m = spec(in->image_properties, "hw_vif_model");

	for (size_t i = 0; m && models[i]; i++)
		if (strcmp(m, models[i]) == 0)
			return models[i];
	return "virtio";
}

/*
 * One interface: a tap device named after the port, as Nova names it
 * ("tap" + the port id's first 11 characters), with the port's MAC and the
 * network's MTU; the network driver plugs the tap into its data plane.
 */
static void interface_xml(lc__xmlw *w, const lc_compute_instance *in, const lc_compute_nic *nic)
{
	char dev[16];

	snprintf(dev, sizeof(dev), "tap%.11s", nic->port_id);
	lc__xmlw_start(w, "interface");
	lc__xmlw_attr(w, "type", "ethernet");
	lc__xmlw_start(w, "mac");
	lc__xmlw_attr(w, "address", nic->mac_address);
	lc__xmlw_end(w);
	lc__xmlw_start(w, "target");
	lc__xmlw_attr(w, "dev", dev);
	lc__xmlw_end(w);
	lc__xmlw_start(w, "model");
	lc__xmlw_attr(w, "type", vif_model(in));
	lc__xmlw_end(w);
	if (nic->mtu > 0) {
		lc__xmlw_start(w, "mtu");
		lc__xmlw_attr_int(w, "size", nic->mtu);
		lc__xmlw_end(w);
	}
	lc__xmlw_end(w);
}

/* The domain XML of an instance. disk: the root disk file, or NULL; iso: a config drive image, or NULL. */
static char *domain_xml(const lv_conn *c, const lc_compute_instance *in, const char *disk, const char *iso)
{
	lc__xmlw w;
	char name[64];
	const char *bus = disk_bus(in);
	const char *fmt = in->image_disk_format && !strcmp(in->image_disk_format, "qcow2") ? "qcow2" : "raw";
	const char *arch = spec(in->image_properties, "hw_architecture");
	const char *machine = spec(in->image_properties, "hw_machine_type");
	const char *fw = spec(in->image_properties, "hw_firmware_type");
	const char *vif = spec(in->image_properties, "hw_vif_model");
	const char *watchdog = spec(in->extra_specs, "hw:watchdog_action");
	const char *page = spec(in->extra_specs, "hw:mem_page_size");
	int64_t sockets = spec_int(in->extra_specs, "hw:cpu_sockets"), cores = spec_int(in->extra_specs, "hw:cpu_cores"),
		threads = spec_int(in->extra_specs, "hw:cpu_threads");
	char *out;
	int n = 0;

	(void)vif;
	snprintf(name, sizeof(name), "lc-%s", in->id);
	lc__xmlw_init(&w);
	lc__xmlw_start(&w, "domain");
	lc__xmlw_attr(&w, "type", c->type);
	lc__xmlw_elem(&w, "name", name);
	lc__xmlw_elem(&w, "uuid", in->id);
	lc__xmlw_elem(&w, "title", in->name);
	lc__xmlw_start(&w, "metadata");
	lc__xmlw_start(&w, "lc:instance");
	lc__xmlw_attr(&w, "xmlns:lc", "https://libcloud.invalid/xmlns/instance/1");
	lc__xmlw_elem(&w, "lc:project", in->project_id);
	lc__xmlw_elem(&w, "lc:user", in->user_id);
	lc__xmlw_elem(&w, "lc:flavor", in->flavor_id);
	if (in->image_id)
		lc__xmlw_elem(&w, "lc:image", in->image_id);
	lc__xmlw_end(&w);
	lc__xmlw_end(&w);
	{
		char num[24];

		snprintf(num, sizeof(num), "%lld", (long long)in->memory_mib);
		lc__xmlw_start(&w, "memory");
		lc__xmlw_attr(&w, "unit", "MiB");
		lc__xmlw_text(&w, num);
		lc__xmlw_end(&w);
	}
	if (page && (!strcmp(page, "large") || !strcmp(page, "any") || strtoll(page, NULL, 10) > 4)) {
		lc__xmlw_start(&w, "memoryBacking");
		lc__xmlw_start(&w, "hugepages");
		lc__xmlw_end(&w);
		lc__xmlw_end(&w);
	}
	lc__xmlw_elem_int(&w, "vcpu", in->vcpus);
	lc__xmlw_start(&w, "os");
	if (fw && !strcmp(fw, "uefi"))
		lc__xmlw_attr(&w, "firmware", "efi");
	lc__xmlw_start(&w, "type");
	if (arch)
		lc__xmlw_attr(&w, "arch", arch);
	if (machine)
		lc__xmlw_attr(&w, "machine", machine);
	lc__xmlw_text(&w, "hvm");
	lc__xmlw_end(&w);
	lc__xmlw_start(&w, "boot");
	lc__xmlw_attr(&w, "dev", "hd");
	lc__xmlw_end(&w);
	lc__xmlw_end(&w);
	lc__xmlw_start(&w, "features");
	lc__xmlw_start(&w, "acpi");
	lc__xmlw_end(&w);
	lc__xmlw_end(&w);
	if (sockets > 0 || cores > 0 || threads > 0) {
		lc__xmlw_start(&w, "cpu");
		lc__xmlw_start(&w, "topology");
		lc__xmlw_attr_int(&w, "sockets", sockets > 0 ? sockets : 1);
		lc__xmlw_attr_int(&w, "cores", cores > 0 ? cores : 1);
		lc__xmlw_attr_int(&w, "threads", threads > 0 ? threads : 1);
		lc__xmlw_end(&w);
		lc__xmlw_end(&w);
	}
	lc__xmlw_elem(&w, "on_poweroff", "destroy");
	lc__xmlw_elem(&w, "on_reboot", "restart");
	lc__xmlw_elem(&w, "on_crash", "destroy");
	lc__xmlw_start(&w, "devices");
	if (disk) {
		lc__xmlw_start(&w, "disk");
		lc__xmlw_attr(&w, "type", "file");
		lc__xmlw_attr(&w, "device", "disk");
		lc__xmlw_start(&w, "driver");
		lc__xmlw_attr(&w, "name", "qemu");
		lc__xmlw_attr(&w, "type", fmt);
		lc__xmlw_end(&w);
		lc__xmlw_start(&w, "source");
		lc__xmlw_attr(&w, "file", disk);
		lc__xmlw_end(&w);
		lc__xmlw_start(&w, "target");
		lc__xmlw_attr(&w, "dev", disk_dev(bus, n++));
		lc__xmlw_attr(&w, "bus", bus);
		lc__xmlw_end(&w);
		lc__xmlw_end(&w);
	}
	if (iso) {
		lc__xmlw_start(&w, "disk");
		lc__xmlw_attr(&w, "type", "file");
		lc__xmlw_attr(&w, "device", "cdrom");
		lc__xmlw_start(&w, "driver");
		lc__xmlw_attr(&w, "name", "qemu");
		lc__xmlw_attr(&w, "type", "raw");
		lc__xmlw_end(&w);
		lc__xmlw_start(&w, "source");
		lc__xmlw_attr(&w, "file", iso);
		lc__xmlw_end(&w);
		lc__xmlw_start(&w, "target");
		lc__xmlw_attr(&w, "dev", "hdd");
		lc__xmlw_attr(&w, "bus", "ide");
		lc__xmlw_end(&w);
		lc__xmlw_start(&w, "readonly");
		lc__xmlw_end(&w);
		lc__xmlw_end(&w);
	}
	for (size_t i = 0; in->version >= 2 && i < in->nics_count; i++)
		interface_xml(&w, in, &in->nics[i]);
	if (watchdog && (!strcmp(watchdog, "reset") || !strcmp(watchdog, "poweroff") || !strcmp(watchdog, "pause") ||
			 !strcmp(watchdog, "none"))) {
		lc__xmlw_start(&w, "watchdog");
		lc__xmlw_attr(&w, "model", "i6300esb");
		lc__xmlw_attr(&w, "action", watchdog);
		lc__xmlw_end(&w);
	}
	lc__xmlw_start(&w, "serial");
	lc__xmlw_attr(&w, "type", "pty");
	lc__xmlw_end(&w);
	lc__xmlw_start(&w, "console");
	lc__xmlw_attr(&w, "type", "pty");
	lc__xmlw_end(&w);
	lc__xmlw_end(&w); /* devices */
	lc__xmlw_end(&w); /* domain */
	out = lc__xmlw_done(&w) ? strdup(lc__xmlw_done(&w)) : NULL;
	lc__xmlw_free(&w);
	return out;
}

static void disk_path(const lc_compute_instance *in, char *out, size_t sz)
{
	snprintf(out, sz, "%s/disk", in->instance_dir);
}

/* ---- methods ---- */

static int lv_inventory(lc_compute_driver *self, const char *uri, lc_compute_inventory *out)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c;
	virNodeInfo ni;
	unsigned long ver = 0;
	struct statvfs sv;
	const char *type;
	int rc = get_conn(lv, uri, &c);

	if (rc < 0)
		return rc;
	if (virNodeGetInfo(c->conn, &ni) < 0)
		return lv_error("cannot read the node's inventory");
	out->vcpus = ni.cpus;
	out->memory_mib = (int64_t)(ni.memory / 1024);
	if (strcmp(c->type, "test") == 0)
		out->disk_gib = 1000;
	else if (statvfs("/", &sv) == 0)
		out->disk_gib = (int64_t)((uint64_t)sv.f_blocks * sv.f_frsize >> 30);
	if (virConnectGetVersion(c->conn, &ver) == 0)
		out->hypervisor_version = (int64_t)ver;
	type = virConnectGetType(c->conn);
	snprintf(out->hypervisor_type, sizeof(out->hypervisor_type), "%s", type ? type : "unknown");
	snprintf(out->cpu_arch, sizeof(out->cpu_arch), "%s", ni.model);
	if (strcmp(out->cpu_arch, "i686") == 0 && strcmp(c->type, "test") == 0)
		snprintf(out->cpu_arch, sizeof(out->cpu_arch), "x86_64");
	return 0;
}

static int lv_spawn(lc_compute_driver *self, const lc_compute_instance *in)
{
	lv_driver *lv = (lv_driver *)self;
	char disk[4200], iso[4200];
	lv_conn *c;
	virDomainPtr dom;
	char *xml;
	int rc = get_conn(lv, in->uri, &c), have_disk = 0;

	if (rc < 0)
		return rc;
	disk_path(in, disk, sizeof(disk));
	if (in->fetch_image) {
		rc = in->fetch_image(disk, in->fetch_payload);
		if (rc < 0)
			return rc;
		have_disk = 1;
	}
	/* the config drive: an ISO image of the tree, attached as a CD-ROM */
	snprintf(iso, sizeof(iso), "%s/disk.config", in->instance_dir);
	if (in->config_drive_dir && (rc = lc__config_iso(in->config_drive_dir, iso)) < 0) {
		if (have_disk)
			unlink(disk);
		return rc;
	}
	xml = domain_xml(c, in, have_disk ? disk : NULL, in->config_drive_dir ? iso : NULL);
	if (xml == NULL) {
		if (have_disk)
			unlink(disk);
		return lc_compute_driver_error(LC_EINVALID, "libvirt: cannot write the domain XML (bad text in a name?)");
	}
	dom = virDomainDefineXML(c->conn, xml);
	free(xml);
	if (dom == NULL) {
		rc = lv_error("cannot define the domain");
		if (have_disk)
			unlink(disk);
		return rc;
	}
	if (virDomainCreate(dom) < 0) {
		rc = lv_error("cannot start the domain");
		virDomainUndefine(dom);
		virDomainFree(dom);
		if (have_disk)
			unlink(disk);
		return rc;
	}
	virDomainFree(dom);
	return 0;
}

static int undefine(virDomainPtr dom)
{
	if (virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) == 0)
		return 0;
	virResetLastError();
	return virDomainUndefine(dom);
}

static int lv_destroy(lc_compute_driver *self, const lc_compute_instance *in)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c;
	virDomainPtr dom;
	char disk[4200];
	int rc = lookup(lv, in, &c, &dom);

	if (rc < 0)
		return rc;
	if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0) {
		rc = lv_error("cannot stop the domain");
		virDomainFree(dom);
		return rc;
	}
	if (undefine(dom) < 0)
		rc = lv_error("cannot undefine the domain");
	virDomainFree(dom);
	disk_path(in, disk, sizeof(disk));
	if (rc == 0)
		unlink(disk);
	return rc;
}

static int state_of(virDomainPtr dom, int *out)
{
	int st = 0, reason = 0;

	if (virDomainGetState(dom, &st, &reason, 0) < 0)
		return lv_error("cannot read the domain's state");
	switch (st) {
	case VIR_DOMAIN_RUNNING:
	case VIR_DOMAIN_BLOCKED:
		*out = LC_POWER_RUNNING;
		break;
	case VIR_DOMAIN_PAUSED:
	case VIR_DOMAIN_PMSUSPENDED:
		*out = LC_POWER_PAUSED;
		break;
	case VIR_DOMAIN_SHUTDOWN:
	case VIR_DOMAIN_SHUTOFF:
		*out = virDomainHasManagedSaveImage(dom, 0) == 1 ? LC_POWER_SUSPENDED : LC_POWER_SHUTDOWN;
		break;
	case VIR_DOMAIN_CRASHED:
		*out = LC_POWER_CRASHED;
		break;
	default:
		*out = LC_POWER_NOSTATE;
	}
	return 0;
}

static int lv_power_off(lc_compute_driver *self, const lc_compute_instance *in, unsigned int flags)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c;
	virDomainPtr dom;
	int rc = lookup(lv, in, &c, &dom), st = 0;

	if (rc < 0)
		return rc;
	if (virDomainIsActive(dom) != 1) {
		virDomainFree(dom);
		return 0;
	}
	if (!(flags & LC_COMPUTE_HARD) && virDomainShutdown(dom) == 0) {
		/* a clean shutdown, given up to 60 seconds as Nova's default, then the power is cut */
		for (int i = 0; i < 600; i++) {
			if (virDomainIsActive(dom) != 1)
				break;
			nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
		}
	}
	virResetLastError();
	if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0)
		rc = lv_error("cannot stop the domain");
	if (rc == 0 && state_of(dom, &st) == 0 && st == LC_POWER_RUNNING)
		rc = lc_compute_driver_error(LC_EBACKEND, "libvirt: the domain is still running");
	virDomainFree(dom);
	return rc;
}

static int lv_power_on(lc_compute_driver *self, const lc_compute_instance *in)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c;
	virDomainPtr dom;
	int rc = lookup(lv, in, &c, &dom);

	if (rc < 0)
		return rc;
	if (virDomainIsActive(dom) != 1 && virDomainCreate(dom) < 0)
		rc = lv_error("cannot start the domain");
	virDomainFree(dom);
	return rc;
}

static int lv_reboot(lc_compute_driver *self, const lc_compute_instance *in, unsigned int flags)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c;
	virDomainPtr dom;
	int rc = lookup(lv, in, &c, &dom);

	if (rc < 0)
		return rc;
	if (!(flags & LC_COMPUTE_HARD)) {
		if (virDomainReboot(dom, 0) < 0)
			rc = lv_error("cannot reboot the domain");
	} else {
		/* as Nova's hard reboot: power cycle from the persistent definition */
		if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0)
			rc = lv_error("cannot stop the domain");
		if (rc == 0 && virDomainHasManagedSaveImage(dom, 0) == 1)
			virDomainManagedSaveRemove(dom, 0);
		virResetLastError();
		if (rc == 0 && virDomainCreate(dom) < 0)
			rc = lv_error("cannot start the domain");
	}
	virDomainFree(dom);
	return rc;
}

static int simple(lc_compute_driver *self, const lc_compute_instance *in, int (*fn)(virDomainPtr),
		  const char *what)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c;
	virDomainPtr dom;
	int rc = lookup(lv, in, &c, &dom);

	if (rc < 0)
		return rc;
	if (fn(dom) < 0)
		rc = lv_error(what);
	virDomainFree(dom);
	return rc;
}

static int managed_save(virDomainPtr d)
{
	return virDomainManagedSave(d, 0);
}

static int lv_pause(lc_compute_driver *self, const lc_compute_instance *in)
{
	return simple(self, in, virDomainSuspend, "cannot pause the domain");
}

static int lv_unpause(lc_compute_driver *self, const lc_compute_instance *in)
{
	return simple(self, in, virDomainResume, "cannot unpause the domain");
}

static int lv_suspend(lc_compute_driver *self, const lc_compute_instance *in)
{
	return simple(self, in, managed_save, "cannot suspend the domain");
}

static int lv_resume(lc_compute_driver *self, const lc_compute_instance *in)
{
	/* starting a domain with a managed save image restores it */
	return simple(self, in, virDomainCreate, "cannot resume the domain");
}

static int lv_get_state(lc_compute_driver *self, const lc_compute_instance *in, int *out)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c;
	virDomainPtr dom;
	int rc = lookup(lv, in, &c, &dom);

	if (rc < 0)
		return rc;
	rc = state_of(dom, out);
	virDomainFree(dom);
	return rc;
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	}
	close(in);
	if (close(out) != 0)
		n = -1;
	return n < 0 ? -1 : 0;
}

static int lv_snapshot(lc_compute_driver *self, const lc_compute_instance *in, const char *dest, char *format,
		       size_t format_size)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c;
	virDomainPtr dom;
	char disk[4200];
	int rc = lookup(lv, in, &c, &dom);

	if (rc < 0)
		return rc;
	virDomainFree(dom);
	disk_path(in, disk, sizeof(disk));
	if (access(disk, R_OK) == 0) {
		/* a copy of the disk file; for a running guest on a real hypervisor this is crash-consistent only */
		if (copy_file(disk, dest) < 0)
			return lc_compute_driver_error(LC_EIO, "libvirt: cannot copy the disk");
		snprintf(format, format_size, "%s",
			 in->image_disk_format && !strcmp(in->image_disk_format, "qcow2") ? "qcow2" : "raw");
		return 0;
	}
	/* no disk file (a test hypervisor without an image): an empty raw disk of one MiB */
	{
		int fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0 || ftruncate(fd, 1 << 20) != 0) {
			if (fd >= 0)
				close(fd);
			return lc_compute_driver_error(LC_EIO, "libvirt: cannot write the snapshot");
		}
		close(fd);
	}
	snprintf(format, format_size, "raw");
	return 0;
}

/* Save a domain's persistent XML next to its disk (for a resize revert). */
static int save_xml(virDomainPtr dom, const lc_compute_instance *in)
{
	char path[4200];
	char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	FILE *f;
	int ok;

	if (xml == NULL)
		return lv_error("cannot read the domain XML");
	snprintf(path, sizeof(path), "%s/resize-from.xml", in->instance_dir);
	f = fopen(path, "w");
	ok = f && fputs(xml, f) >= 0;
	if (f && fclose(f) != 0)
		ok = 0;
	free(xml);
	return ok ? 0 : lc_compute_driver_error(LC_EIO, "libvirt: cannot save the domain XML");
}

static char *load_xml(const lc_compute_instance *in)
{
	char path[4200];
	FILE *f;
	long n;
	char *buf = NULL;

	snprintf(path, sizeof(path), "%s/resize-from.xml", in->instance_dir);
	f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

/* Stop a domain (hard) if it runs; 1 if it was running. */
static int stop_if_running(virDomainPtr dom)
{
	if (virDomainIsActive(dom) != 1)
		return 0;
	if (virDomainDestroy(dom) < 0)
		return lv_error("cannot stop the domain");
	return 1;
}

static int lv_resize(lc_compute_driver *self, const lc_compute_instance *from, const lc_compute_instance *to)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *cf, *ct;
	virDomainPtr dom, nd;
	char disk[4200], *xml;
	int rc = lookup(lv, from, &cf, &dom), was;

	if (rc < 0)
		return rc;
	if ((rc = get_conn(lv, to->uri, &ct)) < 0 || (rc = save_xml(dom, from)) < 0) {
		virDomainFree(dom);
		return rc;
	}
	was = stop_if_running(dom);
	if (was < 0) {
		virDomainFree(dom);
		return was;
	}
	disk_path(to, disk, sizeof(disk));
	xml = domain_xml(ct, to, access(disk, R_OK) == 0 ? disk : NULL, NULL);
	if (xml == NULL) {
		virDomainFree(dom);
		return lc_compute_driver_error(LC_EINVALID, "libvirt: cannot write the domain XML");
	}
	/*
	 * The same hypervisor: this redefines the domain with the new size.
	 * Another one: the domain is defined there, and the old one stays
	 * defined, stopped, until the resize is confirmed.
	 */
	nd = virDomainDefineXML(ct->conn, xml);
	free(xml);
	if (nd == NULL) {
		rc = lv_error("cannot define the resized domain");
		if (was == 1)
			virDomainCreate(dom);
		virDomainFree(dom);
		return rc;
	}
	if (was == 1 && virDomainCreate(nd) < 0)
		rc = lv_error("cannot start the resized domain");
	virDomainFree(nd);
	virDomainFree(dom);
	return rc;
}

static int lv_confirm_resize(lc_compute_driver *self, const lc_compute_instance *from,
			     const lc_compute_instance *to)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *cf, *ct;
	char path[4200];
	int rc;

	if ((rc = get_conn(lv, from->uri, &cf)) < 0 || (rc = get_conn(lv, to->uri, &ct)) < 0)
		return rc;
	if (cf != ct) {
		virDomainPtr dom = virDomainLookupByUUIDString(cf->conn, from->id);

		if (dom) {
			if (undefine(dom) < 0)
				rc = lv_error("cannot undefine the old domain");
			virDomainFree(dom);
		} else {
			virResetLastError();
		}
	}
	snprintf(path, sizeof(path), "%s/resize-from.xml", from->instance_dir);
	unlink(path);
	return rc;
}

static int lv_revert_resize(lc_compute_driver *self, const lc_compute_instance *from,
			    const lc_compute_instance *to)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *cf, *ct;
	virDomainPtr dom, old;
	char *xml = load_xml(from);
	int rc, was = 0;

	if (xml == NULL)
		return lc_compute_driver_error(LC_EIO, "libvirt: the pre-resize domain XML is missing");
	if ((rc = get_conn(lv, from->uri, &cf)) < 0 || (rc = get_conn(lv, to->uri, &ct)) < 0) {
		free(xml);
		return rc;
	}
	dom = virDomainLookupByUUIDString(ct->conn, to->id);
	if (dom) {
		was = stop_if_running(dom);
		if (cf != ct)
			undefine(dom);
		virDomainFree(dom);
	}
	virResetLastError();
	old = virDomainDefineXML(cf->conn, xml);
	free(xml);
	if (old == NULL)
		return lv_error("cannot restore the old domain");
	if (was == 1 && virDomainCreate(old) < 0)
		rc = lv_error("cannot start the old domain");
	virDomainFree(old);
	if (rc == 0) {
		char path[4200];

		snprintf(path, sizeof(path), "%s/resize-from.xml", from->instance_dir);
		unlink(path);
	}
	return rc;
}

static int lv_list(lc_compute_driver *self, const char *uri, lc_compute_list_cb cb, void *payload)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c;
	virDomainPtr *doms = NULL;
	int n, rc = get_conn(lv, uri, &c);

	if (rc < 0)
		return rc;
	n = virConnectListAllDomains(c->conn, &doms, 0);
	if (n < 0)
		return lv_error("cannot list domains");
	for (int i = 0; i < n; i++) {
		const char *name = virDomainGetName(doms[i]);
		char uuid[VIR_UUID_STRING_BUFLEN];
		int st = LC_POWER_NOSTATE;

		if (rc == 0 && name && strncmp(name, "lc-", 3) == 0 && virDomainGetUUIDString(doms[i], uuid) == 0 &&
		    state_of(doms[i], &st) == 0 && cb(uuid, st, payload) != 0)
			rc = LC_EUSER;
		virDomainFree(doms[i]);
	}
	free(doms);
	return rc;
}

static void lv_free(lc_driver *self)
{
	lv_driver *lv = (lv_driver *)self;
	lv_conn *c = lv->conns;

	while (c) {
		lv_conn *next = c->next;

		virConnectClose(c->conn);
		free(c->uri);
		free(c);
		c = next;
	}
	pthread_mutex_destroy(&lv->lock);
	free((char *)lv->d.base.name);
	free(lv);
}

LC_EXTERN int lc_compute_libvirt_new(lc_compute_driver **out, const char *name)
{
	lv_driver *lv;

	if (out == NULL || name == NULL || name[0] == '\0' || strlen(name) > LC_DRIVER_NAME_MAX)
		return lc_compute_driver_error(LC_EINVALID, "invalid argument: out or name");
	*out = NULL;
	lv = calloc(1, sizeof(*lv));
	if (lv == NULL || (lv->d.base.name = strdup(name)) == NULL) {
		free(lv);
		return lc_compute_driver_error(LC_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&lv->lock, NULL);
	lv->d.base.version = LC_COMPUTE_DRIVER_VERSION;
	lv->d.base.kind = LC_COMPUTE_KIND;
	lv->d.base.free = lv_free;
	lv->d.inventory = lv_inventory;
	lv->d.spawn = lv_spawn;
	lv->d.destroy = lv_destroy;
	lv->d.power_off = lv_power_off;
	lv->d.power_on = lv_power_on;
	lv->d.reboot = lv_reboot;
	lv->d.pause = lv_pause;
	lv->d.unpause = lv_unpause;
	lv->d.suspend = lv_suspend;
	lv->d.resume = lv_resume;
	lv->d.get_state = lv_get_state;
	lv->d.snapshot = lv_snapshot;
	lv->d.resize = lv_resize;
	lv->d.confirm_resize = lv_confirm_resize;
	lv->d.revert_resize = lv_revert_resize;
	lv->d.rebuild = NULL; /* the core destroys and spawns again */
	lv->d.list = lv_list;
	*out = &lv->d;
	return 0;
}
