#!/usr/bin/env bash
# make lab: boots real Xen + Linux under QEMU (TCG), runs the experiments, refreshes tests/data/lab/
# and runs the fidelity comparison on the fresh captures. See docs/lab.md.
#   LAB_CONFIGS="x417-l61-pv ..."  only these configurations (default: every line of lab/configs)
#   LAB_TIMEOUT=SECONDS            per boot attempt (default 600); a timed-out boot is retried once
#   LAB_NO_CAPTURE=1               leave tests/data/lab/ alone (boot and split only)
set -euo pipefail
cd "$(dirname "$0")/.."
top=build/lab
export LAB_BUILD=$top
mkdir -p "$top/runs"
t_start=$(date +%s)
say() { echo "lab [$(( $(date +%s) - t_start )) s]: $*"; }
fail() { echo "lab: FAILED: $*" >&2; exit 1; }
# The machine cannot run the lab at all (no Debian mirror reachable for the packages): exit 75, which
# .ci/run reports loudly as "not run" instead of failing the submission. Everything after the fetch
# (a boot that fails twice, a disagreement) is a failure.
cannot_run() { echo "lab: NOT RUN on this machine: $*" >&2; exit 75; }

# ---- host tools
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
{ command -v busybox >/dev/null && file -L "$(command -v busybox)" | grep -q 'statically linked'; } || missing+=(busybox-static)
command -v cpio >/dev/null || missing+=(cpio)
command -v bc >/dev/null || missing+=(bc)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "make lab needs: apt-get install -y ${missing[*]}" >&2; exit 3; }
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
    cannot_run "apt-get install ${missing[*]} failed"
fi

# ---- guestmem with the real Xen backend (Release), for the dom0 of the Xen 4.17 configurations
say "building guestmem (release)"
cmake --preset release >/dev/null
nice cmake --build build/release -j "$(nproc)" --target guestmem >"$top/guestmem-build.log" 2>&1 ||
  { tail -20 "$top/guestmem-build.log" >&2; fail "stage build-guestmem (log: $top/guestmem-build.log)"; }
gm=build/release/sim/guestmem
ldd "$gm" | grep -q libxenctrl || fail "stage build-guestmem: $gm has no real Xen backend (libxen-dev missing?)"

configs=$(grep -v '^#' lab/configs | awk 'NF {print $1}')
[ -n "${LAB_CONFIGS:-}" ] && configs=$LAB_CONFIGS
want_rel() { for c in $configs; do grep -q "^$c .*$1" lab/configs && return 0; done; return 1; }

# ---- packages and images, per Debian release
for spec in "bookworm 4.17 6.1" "trixie 4.20 6.12"; do
  set -- $spec
  want_rel "$1" || continue
  say "fetching $1 (Xen $2, Linux $3)"
  rc=0; bash lab/fetch.sh "$1" "$2" "$3" || rc=$?
  # fetch.sh: 4 = the mirror did not answer or lacks the packages; anything else is a bug of ours.
  [ $rc = 4 ] && cannot_run "stage fetch-$1: the Debian mirror did not provide the packages"
  [ $rc = 0 ] || fail "stage fetch-$1 (exit $rc)"
  # guestmem links Debian 12's libxenctrl 4.17, whose domctl interface only Xen 4.17 accepts.
  gmbin=
  [ "$2" = 4.17 ] && gmbin=$gm
  # Rebuilt only when an input is newer than the image (lab/, the packages, guestmem).
  img=$top/$1/dom0.cpio
  if [ -e "$img" ] && [ -z "$(find lab "$top/$1/fetched" ${gmbin:+"$gmbin"} -newer "$img" -print -quit)" ]; then
    say "the $1 initramfs images are up to date"
  else
    GUESTMEM_BIN=$gmbin bash lab/mkinitramfs.sh "$1" "$2" || fail "stage initramfs-$1"
  fi
done

# ---- boots, one QEMU at a time
qemu_ver=$(qemu-system-x86_64 --version | head -1 | sed 's/^QEMU emulator version //')
failed=()
for c in $configs; do
  read -r name rel xenver kver mode exps < <(grep "^$c " lab/configs)
  say "booting $name (Xen $xenver, Linux $kver, $mode dom0, experiments: $exps)"
  if ! LAB_TIMEOUT=${LAB_TIMEOUT:-600} bash lab/boot.sh "$name" "$rel" "$xenver" "$mode" "$exps"; then
    failed+=("$name"); continue
  fi
  run=$top/runs/$name
  rm -rf "$run/sections"
  python3 lab/split.py "$run/serial-ok.log" "$run/sections"
  [ -n "${LAB_NO_CAPTURE:-}" ] && continue
  xen_full=$(awk -F': ' '/^xen_version/ {print $2}' "$run/sections/xl-info")
  xpkg=$(basename "$(ls "$top/$rel/debs"/xen-hypervisor-*.deb | sort -V | tail -1)" .deb)
  kpkg=$(basename "$(ls "$top/$rel/debs/$(cat "$top/$rel/kernel-package")"_*.deb | sort -V | tail -1)" .deb)
  rm -rf "tests/data/lab/$name.new" && mkdir -p "tests/data/lab/$name.new"
  bash lab/capture.sh "$run/sections" "tests/data/lab/$name.new" \
    "xen $xen_full ($xpkg), $mode dom0; kernel $(awk '{print $3}' "$run/sections/uname") ($kpkg); qemu $qemu_ver (TCG)" \
    "make lab (lab/boot.sh $name $rel $xenver $mode $exps)"
  # The paired scenarios are written by hand and stay; every capture is replaced.
  cp tests/data/lab/"$name"/*.json "tests/data/lab/$name.new/" 2>/dev/null || true
  rm -rf "tests/data/lab/$name" && mv "tests/data/lab/$name.new" "tests/data/lab/$name"
done
[ ${#failed[@]} -eq 0 ] || fail "boots failed: ${failed[*]} (logs in $top/runs/NAME/)"

say "fidelity comparison on the captures"
python3 tests/lab/fidelity.py --guestmem "$gm" --data tests/data/lab || fail "stage fidelity: the model disagrees beyond docs/lab.md's known list"
say "done in $(( $(date +%s) - t_start )) s"
