#!/usr/bin/env bash
# The wabaform steps of a GitOps pipeline, shared by the GitHub Actions, GitLab CI and
# Kubernetes examples beside this file (docs/gitops.md). A test in the wabaform repository runs
# this very script against the sandbox, step by step, so the examples cannot silently rot.
#
#   wabaform-ci.sh validate   check the config offline
#   wabaform-ci.sh plan       plan; writes $WABAFORM_PLAN_FILE (the saved plan, no secrets) and
#                             $WABAFORM_PLAN_MARKDOWN (the pull-request comment, with a marker line)
#   wabaform-ci.sh apply      apply exactly the saved plan; refuses (exit 4) if anything moved
#   wabaform-ci.sh drift      read-only drift check; posts to $WABAFORM_NOTIFY_URL on drift
#                             (once per distinct drift, and once when it clears, when
#                             $WABAFORM_NOTIFY_STATE names a file kept between runs)
#
# Environment:
#   WABAFORM_API_KEY, WABAFORM_PARTNER_ID   partner credentials (from the CI's secret store)
#   WABAFORM_CHANNEL_KEYS                   the {channel_id: key} file's content, from a secret;
#                                           or WABAFORM_CHANNEL_KEYS_FILE naming such a file
#   WABAFORM_CONFIG      config file or directory (default: wabaform)
#   WABAFORM_BIN         the wabaform binary (default: wabaform on PATH)
#   WABAFORM_PLAN_FILE   default: wabaform-plan.json
#   WABAFORM_PLAN_MARKDOWN  default: wabaform-plan.md
#   WABAFORM_APPLY_FLAGS    e.g. "--allow-disruptive", set only when a reviewer allowed it
#   WABAFORM_NOTIFY_URL     where drift posts (a Slack incoming webhook, for one)
#   WABAFORM_NOTIFY_STATE   optional: the drift state file (a digest, no secret); keep it
#                           between runs (CI cache, a volume) so a drift is posted only once
#
# Exit codes are wabaform's: 0 ok / nothing pending, 1 error, 2 changes pending (drift),
# 3 partial apply, 4 blocked before any change. `plan` exits 0 with or without changes.
set -euo pipefail

step="${1:?usage: wabaform-ci.sh validate|plan|apply|drift}"
bin="${WABAFORM_BIN:-wabaform}"
config="${WABAFORM_CONFIG:-wabaform}"
plan_file="${WABAFORM_PLAN_FILE:-wabaform-plan.json}"
plan_markdown="${WABAFORM_PLAN_MARKDOWN:-wabaform-plan.md}"

# Channel keys from a secret variable go to a private temporary file, never to the log.
if [ -n "${WABAFORM_CHANNEL_KEYS:-}" ] && [ -z "${WABAFORM_CHANNEL_KEYS_FILE:-}" ]; then
  keys_file="$(umask 077 && mktemp)"
  trap 'rm -f "$keys_file"' EXIT
  printf '%s\n' "$WABAFORM_CHANNEL_KEYS" > "$keys_file"
  export WABAFORM_CHANNEL_KEYS_FILE="$keys_file"
fi

case "$step" in
  validate)
    "$bin" validate -f "$config"
    ;;
  plan)
    set +e
    "$bin" plan -f "$config" --out "$plan_file" --format markdown --detailed-exitcode > "$plan_markdown.body"
    code=$?
    set -e
    if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then
      rm -f "$plan_markdown.body"
      exit "$code"
    fi
    # The marker lets the pipeline find and update its own comment instead of adding one per push.
    { echo "<!-- wabaform-plan -->"; cat "$plan_markdown.body"; } > "$plan_markdown"
    rm -f "$plan_markdown.body"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
      if [ "$code" -eq 2 ]; then echo "changes=true" >> "$GITHUB_OUTPUT"; else echo "changes=false" >> "$GITHUB_OUTPUT"; fi
    fi
    ;;
  apply)
    if [ ! -f "$plan_file" ]; then
      echo "error: no reviewed plan at $plan_file; run the plan step on the pull request first" >&2
      exit 4
    fi
    # shellcheck disable=SC2086 # WABAFORM_APPLY_FLAGS is a list of flags
    "$bin" apply "$plan_file" -f "$config" ${WABAFORM_APPLY_FLAGS:-}
    ;;
  drift)
    if [ -n "${WABAFORM_NOTIFY_URL:-}" ] && [ -n "${WABAFORM_NOTIFY_STATE:-}" ]; then
      mkdir -p "$(dirname "$WABAFORM_NOTIFY_STATE")"
      "$bin" drift -f "$config" --notify "$WABAFORM_NOTIFY_URL" --notify-state "$WABAFORM_NOTIFY_STATE"
    elif [ -n "${WABAFORM_NOTIFY_URL:-}" ]; then
      "$bin" drift -f "$config" --notify "$WABAFORM_NOTIFY_URL"
    else
      "$bin" drift -f "$config"
    fi
    ;;
  *)
    echo "usage: wabaform-ci.sh validate|plan|apply|drift" >&2
    exit 1
    ;;
esac
