#!/usr/bin/env bash
# The GitHub Action's scan step (see action.yml), runnable anywhere: inputs come from INPUT_* variables,
# outputs go to $GITHUB_OUTPUT when it is set.
#   AIRLOCK_CLI             the airlock command's script (default: ../dist/cli.js next to this file)
#   INPUT_PATHS             files and folders, separated by spaces or new lines (default: .)
#   INPUT_SEVERITY          fail threshold (default: warning)
#   INPUT_BASELINE          baseline file, or empty
#   INPUT_CONFIG            config file, or empty
#   INPUT_CACHE_LOCATION    folder for `airlock scan --cache`, or empty for no cache
#   INPUT_SARIF_FILE        where the SARIF report goes (default: airlock.sarif)
#   INPUT_FAIL_ON_FINDINGS  'false': exit 0 when findings reach the threshold (errors still exit 2)
set -uo pipefail

cli="${AIRLOCK_CLI:-$(cd "$(dirname "$0")/.." && pwd)/dist/cli.js}"
sarif="${INPUT_SARIF_FILE:-airlock.sarif}"

# Paths split on white space, never globbed: a pattern is the scan's business (config ignore:), not the shell's.
set -f
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
set +f
[ ${#paths[@]} -eq 0 ] && paths=(.)

mkdir -p "$(dirname "$sarif")"
args=(scan --format sarif --output "$sarif" --severity "${INPUT_SEVERITY:-warning}")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_CACHE_LOCATION:-}" ] && args+=(--cache --cache-location "$INPUT_CACHE_LOCATION")

# The report goes to the SARIF file; the summary line to the log (stderr).
node "$cli" "${args[@]}" -- "${paths[@]}"
code=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "sarif-file=$sarif"
    echo "exit-code=$code"
  } >>"$GITHUB_OUTPUT"
fi

case "$code" in
  0) echo "airlock: nothing at or above ${INPUT_SEVERITY:-warning}; SARIF in $sarif" ;;
  1) echo "airlock: findings at or above ${INPUT_SEVERITY:-warning}; SARIF in $sarif" ;;
  *) echo "airlock: the scan could not run (exit $code)" >&2 ;;
esac
if [ "$code" -eq 1 ] && [ "${INPUT_FAIL_ON_FINDINGS:-true}" = "false" ]; then exit 0; fi
exit "$code"
