#!/bin/sh
# A wabaform channel keys helper that reads keys from a HashiCorp Vault KV (version 2) secret
# with the vault CLI and jq:
#
#   wabaform plan --channel-keys-command examples/channel-keys/keys-from-vault.sh
#
# The secret holds one field per channel, e.g.
#   vault kv put secret/wabaform/channel-keys acme01CH=KEY1 acme02CH=KEY2
# and its path can be changed with WABAFORM_VAULT_KEYS_PATH. vault reads VAULT_ADDR and
# VAULT_TOKEN (or its token helper) as usual; give the token a policy that can only read
# this path.
#
# wabaform writes the channel ids it needs to stdin as a JSON list; this helper prints the
# whole map, and wabaform keeps only the keys it asked for.
set -eu
cat > /dev/null
secret=$(vault kv get -format=json "${WABAFORM_VAULT_KEYS_PATH:-secret/wabaform/channel-keys}")
printf '%s' "$secret" | jq -c '.data.data'
