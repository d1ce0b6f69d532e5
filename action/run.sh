#!/usr/bin/env bash
# The pycontainer action's step (see action.yml). Inputs arrive as INPUT_* variables; results go to
# $GITHUB_OUTPUT (heredoc form for multi-line values) and $GITHUB_STEP_SUMMARY. The token is masked
# and reaches the CLI only on stdin.
set -euo pipefail

action_path=${PYCONTAINER_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
workdir=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pycontainer-action.XXXXXX")
trap 'rm -rf "$workdir"' EXIT

# The CLI: this checkout's build when it has one, else the published npm package of the same version.
if [[ -f "$action_path/dist/bundle/pycontainer.mjs" ]]; then
  pycontainer() { node "$action_path/bin/pycontainer.js" "$@"; }
else
  version=$(node -p "require(process.argv[1]).version" "$action_path/package.json")
  pycontainer() { npx --yes "pycontainer@$version" "$@"; }
fi
export NO_COLOR=1

context=${INPUT_CONTEXT:-.}
cd "${GITHUB_WORKSPACE:-.}"

# Flags shared by plan and plan --check: the same compile both times.
flags=(-C "$context")
tags=()
IFS=$',\n' read -r -d '' -a raw_tags <<<"${INPUT_TAGS:-}" || true
for t in "${raw_tags[@]+"${raw_tags[@]}"}"; do
  t=$(echo "$t" | xargs)
  [[ -n "$t" ]] && tags+=("$t") && flags+=(--tag "$t")
done
if [[ -n "${INPUT_PLATFORMS:-}" ]]; then flags+=(--platform "$INPUT_PLATFORMS"); fi
if [[ -n "${INPUT_SBOM:-}" ]]; then sbom=(--sbom "$INPUT_SBOM"); else sbom=(); fi
case "${INPUT_PUSH:-false}" in
  true) push=(--push) ;;
  false | '') push=() ;;
  *) echo "::error::input push must be true or false, not '${INPUT_PUSH}'"; exit 2 ;;
esac
case "${INPUT_PLAN:-}" in
  check | '') ;;
  *) echo "::error::input plan must be 'check' or empty, not '${INPUT_PLAN}'"; exit 2 ;;
esac

# ghcr.io (login-registry): log in with the workflow's token when a tag names it (masked; stdin only).
login_registry=${INPUT_LOGIN_REGISTRY:-ghcr.io}
for t in "${tags[@]+"${tags[@]}"}"; do
  if [[ "$t" == "$login_registry"/* && -n "${INPUT_GITHUB_TOKEN:-}" ]]; then
    echo "::add-mask::$INPUT_GITHUB_TOKEN"
    printf '%s' "$INPUT_GITHUB_TOKEN" | pycontainer login "$login_registry" --username "${GITHUB_ACTOR:-github-actions}" --password-stdin >/dev/null
    break
  fi
done

summary_file=${GITHUB_STEP_SUMMARY:-/dev/null}
output_file=${GITHUB_OUTPUT:-/dev/null}
# Multi-line outputs: NAME<<DELIM ... DELIM, with a delimiter the value cannot contain.
put_output() {
  local name=$1 value=$2 delim
  delim="EOF_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s<<%s\n%s\n%s\n' "$name" "$delim" "$value" "$delim" >>"$output_file"
}

plan_json="$workdir/plan.json"
plan_summary=$(pycontainer plan "${flags[@]}")
pycontainer plan "${flags[@]}" --output "$plan_json" 2>/dev/null
put_output plan-summary "$plan_summary"
{
  echo "## pycontainer plan"
  echo
  echo '```'
  echo "$plan_summary"
  echo '```'
} >>"$summary_file"

committed="$context/pycontainer.plan.json"
if [[ "${GITHUB_EVENT_NAME:-}" == pull_request* && -f "$committed" ]]; then
  changes=$(pycontainer diff "$committed" "$plan_json" --summary) || true
  {
    echo
    echo "### Changes against the committed plan"
    echo
    echo '```'
    echo "${changes:-no changes}"
    echo '```'
  } >>"$summary_file"
fi

if [[ "${INPUT_PLAN:-}" == check ]]; then
  set +e
  check=$(pycontainer plan "${flags[@]}" --check 2>&1)
  code=$?
  set -e
  if [[ $code -ne 0 ]]; then
    {
      echo
      echo "### The committed plan is stale"
      echo
      echo '```'
      echo "$check"
      echo '```'
      echo
      echo 'Run `pycontainer plan --write` and commit pycontainer.plan.json.'
    } >>"$summary_file"
    echo "::error file=$committed::the committed plan is stale: run pycontainer plan --write and commit it"
    exit "$code"
  fi
fi

# Apply the very plan summarized above. An SBOM is a build option (plan/apply do not take it), so with
# one the action runs `build` on the same flags instead.
if [[ ${#sbom[@]} -gt 0 ]]; then
  apply=(build "${flags[@]}" "${sbom[@]+"${sbom[@]}"}" --json)
else
  apply=(apply "$plan_json" -C "$context" --json)
fi
if [[ -n "${INPUT_OUTPUT:-}" ]]; then apply+=(--output "$INPUT_OUTPUT"); fi
result=$(pycontainer "${apply[@]}" "${push[@]+"${push[@]}"}")
digest=$(node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(r.digest)' <<<"$result")
first_tag=$(node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(r.tags[0] ?? "")' <<<"$result")
# name@digest: the tag's repository without its :tag (a port's colon comes before the last slash).
name=$first_tag
if [[ "${name##*/}" == *:* ]]; then name=${name%:*}; fi
echo "digest=$digest" >>"$output_file"
echo "image=$name@$digest" >>"$output_file"
{
  echo
  echo "**Image:** \`$name@$digest\`${push:+ (pushed)}"
} >>"$summary_file"
