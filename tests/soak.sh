#!/usr/bin/env bash
# Soak: runs every scenario in the tree with SOAK_SEEDS seeds through GUESTMEM (the sanitizer build,
# invariants after every operation) and judges each run by what its scenario expects.
#
# The scenarios are enumerated, not listed: every *.json under scenarios/ and lab/scenarios/, except the
# schemas (scenarios/*.schema.json: the scenario and the sweep schema) and the cost files of scenarios/costs/ (cost models, not
# scenarios). Two kinds, per docs/bug-library.md:
# - a scenario of scenarios/bugs/ reproduces a kernel bug on its own kernel: it runs as shipped
#   (`--strategy auto`: the bug lives in the file's own configuration) and passes when the bug shows the
#   way `guestmem history` reads it: exit 1 with a report in which an expect failed (the guest crash of
#   S2 fails its no_guest_crash check), no invariant violation and no deadlock. An exit 0 (the bug did
#   not reproduce), any other exit or a sanitizer abort fails.
# - every other scenario runs with both strategies and passes on exit 0: `guestmem run` exits 1 when
#   report.json records an invariant violation, a failed expectation or a deadlock, and a sanitizer
#   report aborts the run (halt_on_error); the report is checked for the same three.
# Prints every failing run with the tail of its stderr and, at the end, the runs, failures, time and the
# invariant checks the reports counted. Reports and stderr stay in SOAK_OUT/<scenario>/<strategy>/<seed>/.
# Env: GUESTMEM (binary), SOAK_SEEDS (default 3), SOAK_OUT (default build/soak). Used by `make soak`.
set -u
bin=${GUESTMEM:?set GUESTMEM to the guestmem binary}
seeds=${SOAK_SEEDS:-3}
out=${SOAK_OUT:-build/soak}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
mkdir -p "$out"
# Run a private copy: a rebuild during a long soak would otherwise swap (or half-write) the binary under it.
cp "$bin" "$out/guestmem.soak" || exit 2
bin=$out/guestmem.soak

# verdict KIND REPORT: prints "ok CHECKS" or "bad WHY" for one run's report.json.
verdict() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
kind, path = sys.argv[1], sys.argv[2]
try:
    r = json.load(open(path))
except (OSError, ValueError) as e:
    print("bad no readable report.json (%s)" % e.__class__.__name__); sys.exit()
checks = r.get("invariants", {}).get("checks", 0)
viol = r.get("invariants", {}).get("violations", [])
dead = r.get("simulation", {}).get("deadlock", False)
failed = [e for e in r.get("expect", []) if not e.get("ok", False)]
if viol:
    print("bad invariant violation: %s" % viol[0].get("detail", viol[0]))
elif dead:
    print("bad deadlock")
elif kind == "bug" and not failed:
    print("bad the bug did not reproduce: every expect held")
elif kind != "bug" and failed:
    print("bad expect failed: %s" % failed[0].get("detail", ""))
else:
    print("ok %d" % checks)
EOF
}

scenarios=$(find scenarios lab/scenarios -name '*.json' ! -name '*.schema.json' ! -path 'scenarios/costs/*' | sort)
runs=0 bad=0 checks=0
start=$(date +%s)
for scen in $scenarios; do
  name=${scen%.json}
  case $scen in
    scenarios/bugs/*) kind=bug strategies=auto want=1 ;;
    *) kind=clean strategies="ballooned unpopulated" want=0 ;;
  esac
  for strategy in $strategies; do
    t0=$(date +%s)
    for seed in $(seq 1 "$seeds"); do
      dir=$out/$name/$strategy/$seed
      rm -rf "$dir" && mkdir -p "$dir"
      "$bin" run "$scen" --strategy "$strategy" --seed "$seed" --out "$dir" --quiet >"$dir/stdout" 2>"$dir/stderr"
      rc=$?
      runs=$((runs + 1))
      v=$(verdict "$kind" "$dir/report.json")
      if [ "$rc" != "$want" ] || [ "${v%% *}" != ok ]; then
        bad=$((bad + 1))
        echo "FAIL $scen --strategy $strategy --seed $seed: exit $rc (expected $want), ${v#* } (see $dir/)"
        tail -n 5 "$dir/stderr" | sed 's/^/    /'
      else
        checks=$((checks + ${v#ok }))
      fi
    done
    echo "done $scen $strategy: $seeds seeds in $(( $(date +%s) - t0 )) s" >&2
  done
done
echo "soak: $(echo "$scenarios" | wc -l) scenarios, $runs runs, $bad failing, $checks invariant checks in the passing runs, $(( $(date +%s) - start )) s"
[ "$bad" = 0 ]
