#!/usr/bin/env bash
# Compiles every entry Bicep file to ARM JSON under .tools/arm/ with the linter rules of
# infra/bicepconfig.json at level error, and fails on any diagnostic that is a warning or an error.
# The example .bicepparam files are compiled too, so they stay in step with main.bicep.
# use-recent-api-versions is on: an API version older than two years fails the build. The rule reads today's
# date, so the build can start failing without a change here; that is the point (the fix is to move the
# resource to a version the message lists). use-recent-module-versions stays off: no registry modules are used.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BICEP="$(bash "$ROOT/infra/tools/restore-bicep.sh")"
OUT="$ROOT/.tools/arm"
mkdir -p "$OUT"

ENTRIES=(infra/main.bicep)
PARAM_FILES=(infra/main.example.bicepparam)

failed=0
diag_count=0

run() { # run <label> <outfile> <bicep args...>
  local label="$1" outfile="$2"
  shift 2
  local log rc=0
  log="$(mktemp)"
  "$BICEP" "$@" --outfile "$outfile.tmp" 2>"$log" || rc=$?
  local diags
  diags="$(grep -cE ' : (Warning|Error) ' "$log" || true)"
  diag_count=$((diag_count + diags))
  if [[ $rc -ne 0 || $diags -ne 0 ]]; then
    echo "bicep: $label FAILED (exit $rc, $diags warning/error diagnostics)" >&2
    cat "$log" >&2
    rm -f "$outfile.tmp"
    failed=1
  else
    [[ -s "$log" ]] && cat "$log" >&2
    mv -f "$outfile.tmp" "$outfile"
    echo "bicep: $label -> ${outfile#"$ROOT"/} (0 warnings)"
  fi
  rm -f "$log"
}

for entry in "${ENTRIES[@]}"; do
  run "$entry" "$OUT/$(basename "$entry" .bicep).json" build "$ROOT/$entry"
done
for params in "${PARAM_FILES[@]}"; do
  run "$params" "$OUT/$(basename "$params" .bicepparam).parameters.json" build-params "$ROOT/$params"
done

if [[ $failed -ne 0 ]]; then
  echo "bicep: $diag_count diagnostics; fix them (warnings count as errors)" >&2
  exit 1
fi
