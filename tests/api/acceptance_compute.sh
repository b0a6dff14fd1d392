#!/usr/bin/env bash
# Acceptance of the compute service: drive lc-httpd with the real `openstack`
# CLI (Debian's python3-openstackclient), with two compute hosts on libvirt's
# test:///default hypervisor (in process, no daemon).
# Usage: acceptance_compute.sh PATH/TO/lc-httpd
# Exits 77 (skipped) when the CLI is not installed.
set -uo pipefail

httpd=${1:?usage: acceptance_compute.sh PATH/TO/lc-httpd}
. "$(dirname "$0")/acceptance_lib.sh"
acc_need acceptance_compute openstack
acc_start acceptance_compute "$httpd" \
	--compute-host node1=libvirt:test:///default --compute-host node2=libvirt:test:///default

expect "project a" openstack project create --domain Default cmp-a
expect "project b" openstack project create --domain Default cmp-b
expect "user a" openstack user create --domain Default --project cmp-a --password ua-pw ua
expect "user b" openstack user create --domain Default --project cmp-b --password ub-pw ub
expect "role a" openstack role add --project cmp-a --user ua member
expect "role b" openstack role add --project cmp-b --user ub member

# operator side: a flavor, a public image, an aggregate with a zone, the hypervisors
expect "flavor create" openstack flavor create --ram 256 --disk 1 --vcpus 1 m1.tiny
contains "flavor shown" "m1.tiny"
head -c 1048576 /dev/zero >"$dir/disk.raw"
expect "image create" openstack image create --public --disk-format raw --container-format bare \
	--file "$dir/disk.raw" cirros
expect "aggregate create --zone" openstack aggregate create --zone az1 agg1
contains "aggregate zone" "az1"
expect "aggregate add host" openstack aggregate add host agg1 node1
contains "aggregate has node1" "node1"
expect "hypervisor list" openstack hypervisor list
contains "hypervisor node1" "node1"
contains "hypervisor node2" "node2"
expect "availability zone list" openstack availability zone list
contains "zone az1" "az1"

# a tenant's server through its whole life
expect "keypair create" as ua cmp-a openstack keypair create --private-key "$dir/k1.pem" k1
grep -q "PRIVATE KEY" "$dir/k1.pem" && ok "private key written" || bad "private key written"
expect "keypair list" as ua cmp-a openstack keypair list
contains "keypair listed" "k1"
expect "server create --wait" as ua cmp-a openstack server create --flavor m1.tiny --image cirros \
	--key-name k1 --wait vm1
contains "server ACTIVE" "ACTIVE"
expect "server list" as ua cmp-a openstack server list
contains "server listed" "vm1"
expect "server show" as ua cmp-a openstack server show vm1 -f value -c status -c key_name
contains "show ACTIVE" "ACTIVE"
contains "show key" "k1"
expect "server stop" as ua cmp-a openstack server stop vm1
expect "server show after stop" as ua cmp-a openstack server show vm1 -f value -c status
contains "SHUTOFF" "SHUTOFF"
expect "server start" as ua cmp-a openstack server start vm1
expect "server reboot" as ua cmp-a openstack server reboot --wait vm1
expect "server reboot --hard" as ua cmp-a openstack server reboot --hard --wait vm1
expect "server show after reboots" as ua cmp-a openstack server show vm1 -f value -c status
contains "ACTIVE again" "ACTIVE"
expect "server image create" as ua cmp-a openstack server image create --name snap1 --wait vm1
expect "snapshot listed" as ua cmp-a openstack image show snap1 -f value -c status
contains "snapshot active" "active"
refuse "an active server cannot be started" as ua cmp-a openstack server start vm1

# another project sees nothing of it
expect "other project list" as ub cmp-b openstack server list
lacks "other project sees no vm1" "vm1"
refuse "other project cannot show it" as ub cmp-b openstack server show vm1
refuse "other project cannot delete it" as ub cmp-b openstack server delete vm1

expect "server delete --wait" as ua cmp-a openstack server delete --wait vm1
expect "list after delete" as ua cmp-a openstack server list
lacks "vm1 gone" "vm1"
expect "keypair delete" as ua cmp-a openstack keypair delete k1

acc_finish acceptance_compute
