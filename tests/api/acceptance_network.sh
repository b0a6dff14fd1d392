#!/usr/bin/env bash
# Acceptance of the network service: drive lc-httpd with the real `openstack`
# CLI (Debian's python3-openstackclient) through the classic topology: an
# external network and subnet, a private network and subnet, a router with a
# gateway and an interface, a security group with an SSH rule, a floating IP
# associated with a server's port; then a second project's view.
# Usage: acceptance_network.sh PATH/TO/lc-httpd
# Exits 77 (skipped) when the CLI is not installed.
set -uo pipefail

httpd=${1:?usage: acceptance_network.sh PATH/TO/lc-httpd}
. "$(dirname "$0")/acceptance_lib.sh"
acc_need acceptance_network openstack
acc_start acceptance_network "$httpd" --compute-host node1=libvirt:test:///default

# the operator: an external network with a subnet, a shared network, two projects
expect "network create --external" openstack network create --external public
expect "external subnet" openstack subnet create --network public --subnet-range 203.0.113.0/24 --no-dhcp public-sub
expect "shared network" openstack network create --share shared-net
expect "project a" openstack project create --domain Default net-a
expect "project b" openstack project create --domain Default net-b
expect "user a" openstack user create --domain Default --project net-a --password ua-pw ua
expect "user b" openstack user create --domain Default --project net-b --password ub-pw ub
expect "role a" openstack role add --project net-a --user ua member
expect "role b" openstack role add --project net-b --user ub member

# a project builds its topology
expect "network create" as ua net-a openstack network create private
expect "subnet create --subnet-range" as ua net-a openstack subnet create --network private \
	--subnet-range 10.0.0.0/24 private-sub -f value -c gateway_ip -c allocation_pools
contains "subnet gateway is the first address" "10.0.0.1"
contains "subnet pool is the rest" "10.0.0.254"
refuse "an overlapping subnet is refused" as ua net-a openstack subnet create --network private \
	--subnet-range 10.0.0.128/25 bad-sub
refuse "a subnet with host bits is refused" as ua net-a openstack subnet create --network private \
	--subnet-range 10.1.0.1/24 bad-sub
expect "network create --tag" as ua net-a openstack network create --tag blue --tag green tagged
expect "network list --tags" as ua net-a openstack network list --tags blue -f value -c Name
contains "the tagged network is listed" "tagged"
lacks "only the tagged network is listed" "private"
expect "network delete of the tagged network" as ua net-a openstack network delete tagged
expect "router create" as ua net-a openstack router create r1
expect "router set --external-gateway" as ua net-a openstack router set --external-gateway public r1
expect "router add subnet" as ua net-a openstack router add subnet r1 private-sub
refuse "a second interface on the subnet is refused" as ua net-a openstack router add subnet r1 private-sub
expect "router show" as ua net-a openstack router show r1 -f json
contains "router show lists the interface" '"ip_address": "10.0.0.1"'
contains "router show has the gateway" '"ip_address": "203.0.113.2"'
expect "security group create" as ua net-a openstack security group create web
expect "security group rule create --protocol tcp --dst-port 22" as ua net-a \
	openstack security group rule create --protocol tcp --dst-port 22 web -f value -c port_range_min -c port_range_max
contains "the rule is port 22" "22"
refuse "the same rule twice is refused" as ua net-a \
	openstack security group rule create --protocol tcp --dst-port 22 web
refuse "a rule with min > max is refused" as ua net-a \
	openstack security group rule create --protocol tcp --dst-port 90:80 web
expect "the default security group exists" as ua net-a openstack security group show default -f value -c name
expect "floating ip create" as ua net-a openstack floating ip create public -f value -c floating_ip_address
fip=$(tail -1 <<<"$out")
contains "the floating IP comes from the external subnet" "203.0.113."
refuse "a floating IP from a private network is refused" as ua net-a openstack floating ip create private

# a server on the private network: its port, its addresses, a floating IP through the router
expect "flavor create" openstack flavor create --ram 64 --disk 1 --vcpus 1 acc.tiny
printf 'not-a-real-disk' >"$dir/img.raw"
expect "image create" openstack image create --public --disk-format raw --container-format bare \
	--file "$dir/img.raw" acc-img
expect "server create --network" as ua net-a openstack server create --flavor acc.tiny --image acc-img \
	--network private --wait vm1 -f value -c status
contains "the server is active" "ACTIVE"
expect "server add floating ip" as ua net-a openstack server add floating ip vm1 "$fip"
expect "port list --server" as ua net-a openstack port list --server vm1 -f value -c "Fixed IP Addresses"
contains "the server's port has an address of the subnet" "10.0.0."
expect "floating ip show" as ua net-a openstack floating ip show "$fip" -f value -c status -c port_id
contains "the floating IP is active" "ACTIVE"
expect "server show has the addresses" as ua net-a openstack server show vm1 -f value -c addresses
contains "server show lists the fixed address" "10.0.0."
contains "server show lists the floating IP" "$fip"
expect "a port made by hand" as ua net-a openstack port create --network private --fixed-ip ip-address=10.0.0.50 \
	mine
expect "server create --port" as ua net-a openstack server create --flavor acc.tiny --image acc-img \
	--port mine --wait vm2 -f value -c status
contains "the second server is active" "ACTIVE"
expect "server show of the second" as ua net-a openstack server show vm2 -f value -c addresses
contains "it has the port's address" "10.0.0.50"
refuse "a port in use is refused" as ua net-a openstack server create --flavor acc.tiny --image acc-img \
	--port mine vm3
refuse "a taken fixed IP is refused" as ua net-a openstack server create --flavor acc.tiny --image acc-img \
	--nic net-id="$(as ua net-a openstack network show private -f value -c id)",v4-fixed-ip=10.0.0.50 vm3
refuse "another project's network is refused" as ub net-b openstack server create --flavor acc.tiny \
	--image acc-img --nic net-id="$(as ua net-a openstack network show private -f value -c id)" vm3
expect "server delete of the second" as ua net-a openstack server delete --wait vm2
expect "port show after" as ua net-a openstack port show mine -f value -c device_id -c status
contains "the given port stays, unbound" "DOWN"
expect "port delete" as ua net-a openstack port delete mine
refuse "deleting a subnet used by a router is refused" as ua net-a openstack subnet delete private-sub
refuse "deleting a network with ports is refused" as ua net-a openstack network delete private

# another project sees only shared and external networks
expect "network list as another project" as ub net-b openstack network list -f value -c Name
contains "it sees the external network" "public"
contains "it sees the shared network" "shared-net"
lacks "it does not see the private network" "private"
refuse "network show of a foreign network is not found" as ub net-b openstack network show private
expect "router list as another project" as ub net-b openstack router list -f value -c Name
lacks "it does not see the router" "r1"
refuse "provider attributes are the admin's" as ub net-b openstack network create --provider-network-type vlan x

# tear down in order
expect "server delete" as ua net-a openstack server delete --wait vm1
expect "port list --server after" as ua net-a openstack port list --device-owner compute:nova -f value -c ID
lacks "the server's port went with it" "."
expect "floating ip delete" as ua net-a openstack floating ip delete "$fip"
expect "router remove subnet" as ua net-a openstack router remove subnet r1 private-sub
expect "router unset --external-gateway" as ua net-a openstack router unset --external-gateway r1
expect "router delete" as ua net-a openstack router delete r1
expect "subnet delete" as ua net-a openstack subnet delete private-sub
expect "network delete" as ua net-a openstack network delete private
expect "network list after" as ua net-a openstack network list -f value -c Name
lacks "the private network is gone" "private"

acc_finish acceptance_network
