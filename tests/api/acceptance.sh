#!/usr/bin/env bash
# Acceptance: drive lc-httpd with the real `openstack` CLI (Debian's
# python3-openstackclient). Usage: acceptance.sh PATH/TO/lc-httpd
# Exits 77 (skipped) when the CLI is not installed.
set -uo pipefail

httpd=${1:?usage: acceptance.sh PATH/TO/lc-httpd}
. "$(dirname "$0")/acceptance_lib.sh"
acc_need acceptance openstack
acc_start acceptance "$httpd"

expect "token issue" openstack token issue -f value -c id
admin_token=$out
expect "catalog list" openstack catalog list -f value
contains "catalog has identity" "identity"
contains "catalog url" "http://127.0.0.1:$port/v3"

expect "project create" openstack project create --domain Default --description "demo project" demo -f value -c name
contains "project created" "demo"
refuse "duplicate project" openstack project create --domain Default demo
expect "project create 2" openstack project create --domain Default other -f value -c id
expect "project list" openstack project list -f value -c Name
contains "project list has demo" "demo"
contains "project list has admin" "admin"
expect "project show" openstack project show demo -f value -c description
contains "project show description" "demo project"
refuse "project show unknown" openstack project show no-such-project

expect "user create" openstack user create --domain Default --project demo --password alice-pw alice -f value -c name
expect "user create 2" openstack user create --domain Default --project other --password bob-pw bob -f value -c name
expect "user list" openstack user list -f value -c Name
contains "user list has alice" "alice"
expect "role add" openstack role add --project demo --user alice member
expect "role add 2" openstack role add --project other --user bob member
expect "role assignment list --names" openstack role assignment list --names -f value
contains "assignment alice@Default member on demo" "member alice@Default  demo@Default"
expect "role assignment list --user --project" openstack role assignment list --user alice --project demo -f value
contains "assignment by ids" "$(openstack role show member -f value -c id)"

# alice sees her project only
as_alice=(--os-username alice --os-password alice-pw --os-project-name demo)
expect "alice token" openstack "${as_alice[@]}" token issue -f value -c project_id
expect "alice projects" openstack "${as_alice[@]}" project list --my-projects -f value -c Name
contains "alice sees demo" "demo"
lacks "alice does not see other" "other"
lacks "alice does not see admin" "admin"
refuse "alice cannot show another project" openstack "${as_alice[@]}" project show other
refuse "alice cannot create projects" openstack "${as_alice[@]}" project create mine
refuse "alice cannot list users" openstack "${as_alice[@]}" user list

refuse "wrong password" openstack --os-password wrong token issue
refuse "unknown user" openstack --os-username nobody token issue

# a revoked token stops working
expect "issue a token to revoke" openstack token issue -f value -c id
victim=$out
expect "token revoke" openstack token revoke "$victim"
# token auth: the password plugin's variables must not be set
with_token() {
	local tok=$1; shift
	env -u OS_USERNAME -u OS_PASSWORD -u OS_USER_DOMAIN_NAME OS_AUTH_TYPE=token OS_TOKEN="$tok" "$@"
}
expect "a token works" with_token "$admin_token" openstack project list -f value -c Name
contains "token auth sees projects" "admin"
refuse "revoked token fails" with_token "$victim" openstack project list
refuse "forged token fails" with_token "${admin_token%????}AAAA" openstack project list

expect "user delete" openstack user delete alice
refuse "alice is gone" openstack "${as_alice[@]}" token issue
expect "user delete 2" openstack user delete bob
expect "project delete" openstack project delete demo
expect "project delete 2" openstack project delete other
expect "project list after delete" openstack project list -f value -c Name
lacks "demo is gone" "demo"

if ! grep -q '"POST /v3/auth/tokens" 201' "$dir/log"; then
	bad "access log has lines"
else
	ok "access log has lines"
fi

# SIGTERM stops it cleanly
kill -TERM "$pid"
if wait "$pid"; then ok "clean stop"; else bad "clean stop"; fi
pid=

acc_finish acceptance
