#!/usr/bin/env bash
# Soak: runs every scenario in scenarios/*.json (the schema file is not a scenario) with SOAK_SEEDS seeds
# and both strategies through GUESTMEM (the sanitizer build), and reports every run that exits non-zero
# or records invariant violations (report.json /invariants/violations). Used by `make soak`.
# Env: GUESTMEM (binary), SOAK_SEEDS (default 20), SOAK_OUT (default build/soak).
set -u
bin=${GUESTMEM:?set GUESTMEM to the guestmem binary}
seeds=${SOAK_SEEDS:-20}
out=${SOAK_OUT:-build/soak}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
runs=0 bad=0
start=$(date +%s)
for scen in scenarios/*.json; do
  name=$(basename "$scen" .json)
  [ "$name" = scenario.schema ] && continue
  for strategy in ballooned unpopulated; do
    for seed in $(seq 1 "$seeds"); do
      dir=$out/$name/$strategy/$seed
      mkdir -p "$dir"
      "$bin" run "$scen" --strategy "$strategy" --seed "$seed" --out "$dir" --quiet >"$dir/stdout" 2>"$dir/stderr"
      rc=$?
      runs=$((runs + 1))
      violations=$(python3 -c 'import json,sys
try: print(len(json.load(open(sys.argv[1]))["invariants"]["violations"]))
except Exception: print("no-report")' "$dir/report.json")
      if [ "$rc" != 0 ] || [ "$violations" != 0 ]; then
        bad=$((bad + 1))
        echo "FAIL $name --strategy $strategy --seed $seed: exit $rc, invariant violations $violations (see $dir/stderr)"
      fi
    done
    echo "done $name $strategy ($seeds seeds)"
  done
done
echo "soak: $runs runs, $bad failing, $(( $(date +%s) - start )) s"
[ "$bad" = 0 ]
