#!/usr/bin/env bash
# Times `make run` and `make test` as a new user sees them: a fresh Debian 12 (bookworm) root without
# the -dev packages (debootstrap, minbase), a fresh clone of this checkout, no ccache, every package
# installed by the Makefile's own apt step inside the timing. These are the README's figures.
#
#   sudo bench/fresh-machine.sh [STEP...]      steps, in order (default: fresh run test)
#     fresh   a new root: a copy of the cached debootstrap tree with a fresh clone in /src/guestmem
#     run     time `make run` there         test   time `make test` there
#   e.g. `sudo bench/fresh-machine.sh fresh test` times `make test` alone on a fresh root.
#
# Environment: WORK (default /tmp/guestmem-fresh; the debootstrap tree is cached in $WORK/base, about
# 200 MB, and each root takes about 2 GB), REF (default HEAD: what is cloned), MIRROR (Debian mirror).
# Needs root, debootstrap (apt-get install debootstrap) and network access to the mirror. Not part of
# any make target. Run it on an idle machine: the figures, with the load average before and after each
# step and the CPU time (user + sys of every process of the step), go to $WORK/results.txt.
# Outside the timing: debootstrap itself, `make` (needed to type the command) and the clone.
set -euo pipefail
WORK=${WORK:-/tmp/guestmem-fresh}
REF=${REF:-HEAD}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
repo=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine.sh: needs root (debootstrap, chroot)" >&2; exit 3; }
command -v debootstrap >/dev/null || { echo "fresh-machine.sh: apt-get install debootstrap" >&2; exit 3; }
[ $# -gt 0 ] || set -- fresh run test
mkdir -p "$WORK"
base=$WORK/base root=$WORK/root results=$WORK/results.txt

if [ ! -x "$base/usr/bin/make" ]; then
  rm -rf "$base"
  debootstrap --variant=minbase bookworm "$base" "$MIRROR"
  cat >"$base/etc/apt/sources.list" <<EOF
deb ${MIRROR} bookworm main
deb ${MIRROR} bookworm-updates main
deb ${MIRROR%/debian}/debian-security bookworm-security main
EOF
  cp /etc/resolv.conf "$base/etc/resolv.conf"
  chroot "$base" apt-get update -q
  chroot "$base" apt-get install -y -q --no-install-recommends make
  chroot "$base" apt-get clean
  rm -rf "$base"/var/lib/apt/lists/*  # a fresh machine's package lists are stale: make's apt-get update refreshes them
fi

mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  mounted=()
}
trap unmount_all EXIT
mount_root() {
  mount -t proc proc "$root/proc" && mounted+=("$root/proc")
  mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
  mount --bind /dev "$root/dev" && mounted+=("$root/dev")
  mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 && mounted+=("$root/dev/pts")
  mount -t tmpfs tmpfs "$root/dev/shm" && mounted+=("$root/dev/shm")
}

timed() {  # timed NAME COMMAND: runs COMMAND in the root's clone, appends a line to $results
  local name=$1 cmd=$2 t0 t1 rc=0 load0 load1 cpu
  load0=$(cut -d' ' -f1-3 /proc/loadavg)
  t0=$(date +%s.%N)
  cpu=$( { TIMEFORMAT='%U %S'; time chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
           HOME=/root LANG=C.UTF-8 bash -c "cd /src/guestmem && $cmd" >"$WORK/$name.log" 2>&1; } 2>&1 ) || rc=$?
  t1=$(date +%s.%N)
  load1=$(cut -d' ' -f1-3 /proc/loadavg)
  local line
  line=$(awk -v n="$name" -v a="$t0" -v b="$t1" -v c="$cpu" -v rc="$rc" -v l0="$load0" -v l1="$load1" -v p="$(nproc)" \
    'BEGIN { split(c, u, " "); printf "%-10s wall %6.1f s  cpu %6.1f s  exit %s  cores %s  load before %s  after %s\n", n, b - a, u[1] + u[2], rc, p, l0, l1 }')
  echo "$line" | tee -a "$results"
  return "$rc"
}

echo "== $(date -u +%FT%TZ) $(git -C "$repo" rev-parse --short "$REF") on $(nproc) cores" | tee -a "$results"
for step in "$@"; do
  case $step in
    fresh)
      unmount_all
      rm -rf "$root"
      cp -a "$base" "$root"
      mount_root
      git clone -q --no-hardlinks "$repo" "$root/src/guestmem"
      git -C "$root/src/guestmem" checkout -q "$(git -C "$repo" rev-parse "$REF")"
      ;;
    run) [ ${#mounted[@]} -gt 0 ] || mount_root; timed "make-run" "make run" ;;
    test) [ ${#mounted[@]} -gt 0 ] || mount_root; timed "make-test" "make test" ;;
    *) echo "fresh-machine.sh: unknown step '$step' (fresh, run, test)" >&2; exit 2 ;;
  esac
done
echo "logs: $WORK/make-run.log $WORK/make-test.log; results: $results"
