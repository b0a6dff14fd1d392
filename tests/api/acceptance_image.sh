#!/usr/bin/env bash
# Acceptance of the image service: drive lc-httpd with the real `openstack`
# CLI (Debian's python3-openstackclient) and a real qcow2 file made with
# qemu-img (Debian's qemu-utils). Usage: acceptance_image.sh PATH/TO/lc-httpd
# Exits 77 (skipped) when the CLI or qemu-img is not installed.
set -uo pipefail

httpd=${1:?usage: acceptance_image.sh PATH/TO/lc-httpd}
for tool in openstack qemu-img sha256sum; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "acceptance_image: $tool is not installed: skipped"
		exit 77
	fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/lc-accept-img-XXXXXX")
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$dir"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export LC_ADMIN_PASSWORD=accept-admin-pw
"$httpd" --listen "127.0.0.1:$port" --data "$dir/cloud" >"$dir/env" 2>"$dir/log" &
pid=$!
for _ in $(seq 1 100); do
	grep -q OS_AUTH_URL "$dir/env" 2>/dev/null && break
	sleep 0.1
done
if ! grep -q "export OS_AUTH_URL=http://127.0.0.1:$port/v3" "$dir/env"; then
	echo "acceptance_image: lc-httpd did not start"; cat "$dir/log"; exit 1
fi
# shellcheck disable=SC1091
. "$dir/env"
export OS_PASSWORD=$LC_ADMIN_PASSWORD
unset OS_CLOUD OS_TOKEN

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
expect() {
	local name=$1; shift
	if out=$("$@" 2>&1); then ok "$name"; else bad "$name"; echo "$out" | tail -5; fi
}
refuse() {
	local name=$1; shift
	if out=$("$@" 2>&1); then bad "$name (succeeded)"; echo "$out" | tail -5; else ok "$name"; fi
}
contains() {
	if grep -q -- "$2" <<<"$out"; then ok "$1"; else bad "$1"; echo "$out" | tail -5; fi
}
lacks() {
	if grep -q -- "$2" <<<"$out"; then bad "$1"; echo "$out" | tail -5; else ok "$1"; fi
}
# as USER PROJECT COMMAND...: run as a project member
as() {
	local user=$1 project=$2; shift 2
	OS_USERNAME=$user OS_PASSWORD=$user-pw OS_PROJECT_NAME=$project "$@"
}

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

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
