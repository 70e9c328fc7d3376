#!/usr/bin/env bash
# make kconfig-oracle: guestmem's Kconfig evaluator against the kernel's own scripts/kconfig.
#  1. fetch.sh: Debian's kernel images (config-* of 6.1 bookworm and 6.12 trixie) and linux-source-6.1 /
#     linux-source-6.12 into BUILD (a private apt configuration; the host's apt state is not touched);
#  2. build_conf.sh: scripts/kconfig/conf and conf_batch for each source tree (needs flex, bison, gcc);
#  3. oracle.py run: COUNT configurations per kernel and arch (Debian's own config with boundary and
#     random assignments of the 13 varied symbols), resolved like `conf --olddefconfig`; the first
#     VALIDATE of each are also run through the real `conf --olddefconfig` and must give the same file;
#  4. the replay test (kconfig_oracle_replay_test) resolves every row with guestmem's rules and
#     reports each symbol on which guestmem and conf disagree.
# Environment: BUILD (default build/kconfig-oracle), COUNT (2000), VALIDATE (20), UPDATE=1 copies the
# tables and the trimmed Debian configs into tests/data/kconfig/, TEST_BIN (the replay test binary).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/kconfig_oracle
BUILD=${BUILD:-$ROOT/build/kconfig-oracle}
COUNT=${COUNT:-2000}
VALIDATE=${VALIDATE:-20}
for tool in flex bison gcc xz; do
  command -v $tool >/dev/null || { echo "kconfig-oracle needs $tool: apt-get install -y flex bison gcc xz-utils" >&2
    [[ $(id -u) == 0 ]] && apt-get install -y flex bison gcc xz-utils >&2 || exit 3; }
done
mkdir -p "$BUILD/tables" "$BUILD/fixtures"
[[ ${SKIP_FETCH:-0} == 1 ]] || bash "$HERE/fetch.sh" "$BUILD" sources >&2

# (kernel series, Debian suite of the seed config, flavour, guestmem arch). Trixie ships no i386 kernel:
# 6.12 i386 starts from bookworm's 686-pae config, upgraded by olddefconfig as a distro moving to a
# new kernel does.
COMBOS=${COMBOS:-"6.1:bookworm:amd64:x86_64 6.1:bookworm:686-pae:i386 6.1:bookworm:arm64:arm64
6.12:trixie:amd64:x86_64 6.12:bookworm:686-pae:i386 6.12:trixie:arm64:arm64"}
for series in 6.1 6.12; do
  [[ -x $BUILD/tools-$series/conf_batch ]] || bash "$HERE/build_conf.sh" "$BUILD/src/linux-source-$series" "$BUILD/tools-$series" >&2
done
for combo in $COMBOS; do
  IFS=: read -r series suite flavour arch <<<"$combo"
  line=$(awk -v s=$suite -v f=$flavour '$1 == s && $2 == f' "$BUILD/packages.txt" | tail -1)
  read -r _ _ pkg ver seedfile <<<"$line"
  src_ver=$(awk -v p=linux-source-$series '$1 == "source" && $2 == p {print $3}' "$BUILD/packages.txt" | tail -1)
  kver=${src_ver%%-*}  # the source tree's version (6.1.176-1 -> 6.1.176), which may be newer than the seed's
  fixture=debian-$(sed -n 's/^# Linux\/[^ ]* \([0-9]*\.[0-9]*\).* Kernel Configuration$/\1/p' "$seedfile" | head -1)-$flavour.config
  python3 "$HERE/oracle.py" trim --seed "$seedfile" --out "$BUILD/fixtures/$fixture" \
    --header "Debian $pkg $ver, /boot/$(basename "$seedfile"): only the lines of the symbols guestmem's" \
    --header "Kconfig rules name (make kconfig-oracle, tests/kconfig_oracle/oracle.py trim)." >&2
  python3 "$HERE/oracle.py" run --seed "$seedfile" --src "$BUILD/src/linux-source-$series" \
    --conf "$BUILD/tools-$series/conf" --batch "$BUILD/tools-$series/conf_batch" --arch $arch --kernel "$kver" \
    --fixture $fixture --work "$BUILD/scratch/$series-$arch" --out "$BUILD/tables/oracle-$series-$arch.txt" \
    --count $COUNT --validate $VALIDATE \
    --header "guestmem Kconfig oracle: conf --olddefconfig of Debian linux-source-$series $src_ver, ARCH=$arch," \
    --header "on the seed /boot/$(basename "$seedfile") of $pkg $ver with the inputs below (tests/kconfig_oracle)."
done
if [[ ${UPDATE:-0} == 1 ]]; then
  cp "$BUILD"/tables/oracle-*.txt "$BUILD"/fixtures/debian-*.config "$ROOT/tests/data/kconfig/"
  echo "copied the tables and fixtures into tests/data/kconfig/" >&2
fi
TEST_BIN=${TEST_BIN:-$ROOT/build/asan/tests/kconfig_oracle_replay_test}
if [[ -x $TEST_BIN ]]; then
  GUESTMEM_KCONFIG_ORACLE_DIR="$BUILD/tables" GUESTMEM_KCONFIG_FIXTURE_DIR="$BUILD/fixtures" "$TEST_BIN"
else
  echo "kconfig-oracle: $TEST_BIN not built; the tables are in $BUILD/tables (make test builds it)" >&2
fi
