#!/bin/sh
# A wabaform channel keys helper that reads keys from a Postgres table with psql:
#
#   wabaform plan --channel-keys-command examples/channel-keys/keys-from-psql.sh
#
# wabaform writes the channel ids it needs to stdin as a JSON list (["acme01CH", ...]) and
# reads {"acme01CH": "KEY", ...} from stdout. The table is assumed to be
#   CREATE TABLE channel_keys (channel_id text PRIMARY KEY, api_key text NOT NULL);
# edit the query below to fit yours. psql connects with the usual libpq variables (PGHOST,
# PGPORT, PGDATABASE, PGUSER, PGSSLMODE; the password in ~/.pgpass or PGPASSWORD); give the
# role SELECT on this table only.
#
# The ids reach the query inside a dollar-quoted literal on psql's stdin, so no id is ever
# parsed as SQL and no command-line length limit applies to large fleets.
set -eu
{
  printf '%s\n' "SELECT coalesce(json_object_agg(channel_id, api_key), '{}')"
  printf '%s' 'FROM channel_keys WHERE channel_id IN (SELECT json_array_elements_text($wabaform_ids$'
  cat
  printf '%s\n' '$wabaform_ids$::json));'
} | psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1
