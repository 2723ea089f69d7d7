#!/usr/bin/env bash
# Schema/loader agreement test.
#   usage: run-test.sh CHARTER_BINARY REPO_ROOT
# (a) schemas/charter.schema.json accepts every charter file under examples/acme/ (js-yaml CORE_SCHEMA + ajv 2020-12);
# (b) it rejects every structural case in examples/invalid/ (CH02xx, CH0404, CH0408, CH0701-CH0703) except the
#     ones in SKIP below, which JSON Schema cannot express;
# (c) `CHARTER_BINARY validate` agrees: exit 0 on examples/acme, exit 1 on each case of (b).
# CHARTER_BINARY may be `none` to run (a) and (b) only. Prints `N passed, M failed, K skipped`; exits 1 on any failure.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 CHARTER_BINARY REPO_ROOT" >&2
  exit 2
fi
bin=$1
root=$(cd "$2" && pwd) || { echo "run-test.sh: no such directory: $2" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
if [ "$bin" != none ]; then
  case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
fi

# Cases the schema cannot express: a glob on the case name (file or folder in examples/invalid/) and the reason.
SKIP=(
  "CH0201-*first*|the key is present but not first: JSON Schema objects have no key order"
  "CH0201-*order*|the key is present but not first: JSON Schema objects have no key order"
  "CH0210-*|include outside the root: needs the file system, the schema only sees strings"
  "CH0211-*|include cycle: needs the file system and several files"
  "CH0212-*|include matches nothing: needs the file system"
  "CH0213-*|section defined twice: a rule across files, the schema sees one file"
)

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

if [ ! -d "$here/node_modules/ajv" ] || [ ! -d "$here/node_modules/js-yaml" ]; then
  echo "run-test.sh: installing npm packages in tests/schema (scripts/bootstrap normally does this)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || { echo "FAIL npm ci in tests/schema"; echo "0 passed, 1 failed"; exit 1; }
fi

cd "$root" || exit 2
acme=examples/acme
invalid=examples/invalid

# Runs check.mjs in an expect mode and folds its ok/FAIL lines into our counts.
run_check() {
  local out line
  out=$(node "$here/check.mjs" --schema "$root/schemas/charter.schema.json" "$@" 2>&1)
  while IFS= read -r line; do
    case "$line" in
      "ok   "*) pass "${line#ok   }" ;;
      "FAIL "*) fail "${line#FAIL }" ;;
      *" passed, "*" failed") ;;
      "") ;;
      *) echo "     $line" ;;
    esac
  done <<< "$out"
}

# ---- (a) the example charter --------------------------------------------------------------------
echo "== (a) schema accepts $acme"
if [ -d "$acme" ]; then
  run_check --expect-accept "$acme"
else
  fail "$acme does not exist"
fi

# ---- (b) structural cases of examples/invalid ---------------------------------------------------
echo "== (b) schema rejects the structural cases in $invalid"
cases=()
shopt -s nullglob
for p in "$invalid"/*; do
  name=${p##*/}
  case "$name" in
    CH02[0-9][0-9]*|CH0404*|CH0408*|CH0701*|CH0702*|CH0703*) ;;
    *) continue ;;
  esac
  # Only YAML files and case folders; golden outputs and notes beside them are not cases.
  if [ -f "$p" ]; then
    case "$name" in *.yaml|*.yml) ;; *) continue ;; esac
  elif [ ! -d "$p" ]; then
    continue
  fi
  reason=""
  for entry in "${SKIP[@]}"; do
    # shellcheck disable=SC2254
    case "$name" in ${entry%%|*}) reason=${entry#*|}; break ;; esac
  done
  if [ -n "$reason" ]; then
    skipped=$((skipped + 1))
    echo "skip $p: $reason"
    continue
  fi
  cases+=("$p")
done
if [ ${#cases[@]} -eq 0 ]; then
  fail "no structural cases found in $invalid"
else
  run_check --expect-reject "${cases[@]}"
fi

# ---- (c) the loader agrees ----------------------------------------------------------------------
if [ "$bin" = none ]; then
  echo "== (c) skipped: no charter binary given"
else
  echo "== (c) $bin validate agrees"
  if [ ! -x "$bin" ]; then
    fail "charter binary $bin is not an executable"
  else
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    "$bin" validate "$acme" > "$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then pass "charter validate $acme exits 0"
    else fail "charter validate $acme exits $rc, expected 0:"; sed 's/^/     /' "$log" | head -20; fi
    for p in "${cases[@]}"; do
      "$bin" validate "$p" > "$log" 2>&1
      rc=$?
      if [ $rc -eq 1 ]; then pass "charter validate $p exits 1"
      else fail "charter validate $p exits $rc, expected 1"; sed 's/^/     /' "$log" | head -10; fi
    done
  fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
