#!/usr/bin/env bash
# Soak: runs every scenario in scenarios/*.json (the schema file is not a scenario) with SOAK_SEEDS seeds
# and both strategies through GUESTMEM (the sanitizer build, invariants after every operation), and
# reports every run that does not exit 0. `guestmem run` exits 1 when report.json records an invariant
# violation, a failed expectation or a deadlock, and a sanitizer report aborts the run (halt_on_error),
# so the exit code is the whole verdict; the report and stderr of each run stay in SOAK_OUT.
# Env: GUESTMEM (binary), SOAK_SEEDS (default 20), SOAK_OUT (default build/soak). Used by `make soak`.
set -u
bin=${GUESTMEM:?set GUESTMEM to the guestmem binary}
seeds=${SOAK_SEEDS:-20}
out=${SOAK_OUT:-build/soak}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
mkdir -p "$out"
# Run a private copy: a rebuild during a long soak would otherwise swap (or half-write) the binary under it.
cp "$bin" "$out/guestmem.soak" || exit 2
bin=$out/guestmem.soak
runs=0 bad=0
start=$(date +%s)
for scen in scenarios/*.json; do
  name=$(basename "$scen" .json)
  [ "$name" = scenario.schema ] && continue
  for strategy in ballooned unpopulated; do
    t0=$(date +%s)
    for seed in $(seq 1 "$seeds"); do
      dir=$out/$name/$strategy/$seed
      rm -rf "$dir" && mkdir -p "$dir"
      "$bin" run "$scen" --strategy "$strategy" --seed "$seed" --out "$dir" --quiet >"$dir/stdout" 2>"$dir/stderr"
      rc=$?
      runs=$((runs + 1))
      if [ "$rc" != 0 ]; then
        bad=$((bad + 1))
        echo "FAIL $name --strategy $strategy --seed $seed: exit $rc (see $dir/stderr and $dir/report.json)"
        tail -n 5 "$dir/stderr" | sed 's/^/    /'
      fi
    done
    echo "done $name $strategy: $seeds seeds in $(( $(date +%s) - t0 )) s" >&2
  done
done
echo "soak: $runs runs, $bad failing, $(( $(date +%s) - start )) s"
[ "$bad" = 0 ]
