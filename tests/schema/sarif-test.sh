#!/usr/bin/env bash
# `charter validate --format sarif` output validates against the OASIS SARIF 2.1.0 schema
# (../shared/data/sarif-schema-2.1.0.json beside the checkout, else the copy in this folder),
# and partialFingerprints survive lines inserted above a finding.
set -uo pipefail
charter=$(realpath "$1")
repo=$(realpath "$2")
here="$repo/tests/schema"
schema="$repo/../shared/data/sarif-schema-2.1.0.json"
[ -f "$schema" ] || schema="$here/sarif-schema-2.1.0.json"
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$repo" || exit 1
passed=0
failed=0
files=()
for c in examples/acme examples/invalid/*; do
  case "$c" in *.md) continue ;; esac
  out="$tmp/$(basename "$c").sarif"
  "$charter" validate "$c" --format sarif > "$out"
  rc=$?
  if [ "$rc" -gt 1 ]; then echo "FAIL $c: exit $rc"; failed=$((failed + 1)); continue; fi
  files+=("$out")
done
if node "$here/sarif-check.mjs" "$schema" "${files[@]}" > "$tmp/log"; then
  passed=$((passed + ${#files[@]}))
else
  grep -A8 FAIL "$tmp/log"
  n=$(grep -c '^FAIL' "$tmp/log")
  [ "$n" -gt 0 ] || { cat "$tmp/log"; n=1; }
  failed=$((failed + n))
  passed=$((passed + $(grep -c '^ok' "$tmp/log")))
fi
# Fingerprints come from code + file + JSON pointer, not the line: insert lines above.
mkdir -p "$tmp/fp"
cp examples/invalid/CH0301-unknown-team.yaml "$tmp/fp/c.yaml"
(cd "$tmp/fp" && "$charter" validate c.yaml --format sarif > ../a.sarif)
{ head -3 examples/invalid/CH0301-unknown-team.yaml; printf '# one\n# two\n# three\n'; tail -n +4 examples/invalid/CH0301-unknown-team.yaml; } > "$tmp/fp/c.yaml"
(cd "$tmp/fp" && "$charter" validate c.yaml --format sarif > ../b.sarif)
fa=$(grep -oE '"charterFingerprint/v1": ?"[0-9a-f]*"' "$tmp/a.sarif")
fb=$(grep -oE '"charterFingerprint/v1": ?"[0-9a-f]*"' "$tmp/b.sarif")
la=$(grep -oE '"startLine": ?[0-9]*' "$tmp/a.sarif" | head -1)
lb=$(grep -oE '"startLine": ?[0-9]*' "$tmp/b.sarif" | head -1)
if [ -n "$fa" ] && [ "$fa" = "$fb" ] && [ "$la" != "$lb" ]; then
  passed=$((passed + 1))
else
  echo "FAIL fingerprints: '$fa' vs '$fb' (lines $la / $lb)"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
