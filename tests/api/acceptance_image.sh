#!/usr/bin/env bash
# Acceptance of the image service: drive lc-httpd with the real `openstack`
# CLI (Debian's python3-openstackclient) and a real qcow2 file made with
# qemu-img (Debian's qemu-utils). Usage: acceptance_image.sh PATH/TO/lc-httpd
# Exits 77 (skipped) when the CLI or qemu-img is not installed.
set -uo pipefail

httpd=${1:?usage: acceptance_image.sh PATH/TO/lc-httpd}
. "$(dirname "$0")/acceptance_lib.sh"
acc_need acceptance_image openstack qemu-img sha256sum
acc_start acceptance_image "$httpd"

expect "project a" openstack project create --domain Default img-a
expect "project b" openstack project create --domain Default img-b -f value -c id
pb=$out
expect "user a" openstack user create --domain Default --project img-a --password ua-pw ua
expect "user b" openstack user create --domain Default --project img-b --password ub-pw ub
expect "role a" openstack role add --project img-a --user ua member
expect "role b" openstack role add --project img-b --user ub member

# a real qcow2 with data in it
qemu-img create -q -f qcow2 "$dir/disk.qcow2" 16M
python3 - "$dir/disk.qcow2" <<'PY'
import subprocess, sys
subprocess.run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 1M 2M", sys.argv[1]], check=False,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
PY

expect "image create" as ua img-a openstack image create --file "$dir/disk.qcow2" --disk-format qcow2 \
	--container-format bare img -f value -c id
img=$(tail -1 <<<"$out")
expect "image list" as ua img-a openstack image list -f value -c Name
contains "image listed" "img"
expect "image show" as ua img-a openstack image show img -f value -c status
contains "image active" "active"
expect "image show size" as ua img-a openstack image show img -f value -c disk_format
contains "image qcow2" "qcow2"
expect "image save" as ua img-a openstack image save --file "$dir/out.qcow2" img
if [ "$(sha256sum <"$dir/disk.qcow2")" = "$(sha256sum <"$dir/out.qcow2")" ]; then
	ok "saved file identical (sha256)"
else
	bad "saved file identical (sha256)"
fi
expect "image set property" as ua img-a openstack image set --property k=v img
expect "image show property" as ua img-a openstack image show img -f value -c properties
contains "property set" "'k': 'v'"

refuse "other project cannot see it" as ub img-b openstack image show "$img"
contains "reported as not found" "No Image found"
expect "image add project" as ua img-a openstack image add project img "$pb"
expect "member accepts" as ub img-b openstack image set --accept "$img"
expect "image list as member" as ub img-b openstack image list -f value -c ID
contains "shared image listed" "$img"
expect "image show as member" as ub img-b openstack image show "$img" -f value -c name
contains "shared image visible" "img"

refuse "a raw file declared qcow2" as ua img-a openstack image create --file "$dir/log" --disk-format qcow2 \
	--container-format bare bad
if grep -q '"PUT /image/v2/images/[^ ]*/file" 400' "$dir/log"; then ok "format mismatch is a 400"; else bad "format mismatch is a 400"; fi
expect "image delete" as ua img-a openstack image delete img
expect "image list after delete" as ua img-a openstack image list -f value -c Name
lacks "image gone" "^img$"

kill -TERM "$pid"
if wait "$pid"; then ok "clean stop"; else bad "clean stop"; fi
pid=

acc_finish acceptance_image
