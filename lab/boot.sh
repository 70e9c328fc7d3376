#!/usr/bin/env bash
# Boots one lab configuration under QEMU (TCG) and leaves the serial log in build/lab/runs/NAME/serial.log.
#   lab/boot.sh NAME RELEASE XENVER PV|PVH EXPERIMENTS
# Exit 0 when dom0's /init printed "@@@LAB DONE"; otherwise names the last stage reached and keeps the log.
# A boot that times out is retried once (LAB_TIMEOUT seconds each, default 300).
set -euo pipefail
name=$1 rel=$2 xenver=$3 mode=$4 exps=$5
top=${LAB_BUILD:-build/lab}
out=$top/runs/$name
mkdir -p "$out"
R=$top/$rel/root
kver=$(ls "$R/boot" | sed -n 's/^vmlinuz-//p' | sort -V | tail -1)
xen=$top/$rel/xen-$xenver.elf
[ -s "$xen" ] || gunzip -c "$R/boot/xen-$xenver-amd64.gz" > "$xen"
# Xen: console on the serial port; dom0 gets a fixed 1536 MiB of QEMU's 2048 so that ~0.4 GiB stay
# free for the domU (its mem-set above that is the refusal case). No `noreboot`: a crash ends QEMU.
xen_args="console=com1 com1=115200,8n1 dom0_mem=1536M,max:1536M loglvl=all guest_loglvl=all"
dom0_args="console=hvc0 earlyprintk=xen lab.exp=${exps}"
cpu=max,-smap
dev=()
if [ "$mode" = pvh ]; then
  # PVH dom0 (experimental in Xen) needs an IOMMU, and without -rdtscp Xen fails on rdtscp (0f 01 f9).
  xen_args+=" dom0=pvh"
  cpu+=",-rdtscp"
  dev=(-device intel-iommu,intremap=on)
fi
timeout=${LAB_TIMEOUT:-300}
stage() {  # the last stage the serial log shows
  local log=$1
  local s=qemu
  grep -q '(XEN) Xen version' "$log" 2>/dev/null && s=xen
  grep -q '(XEN) \*\*\* LOADING DOMAIN 0' "$log" 2>/dev/null && s=xen-dom0-build
  grep -a -q 'Linux version' "$log" 2>/dev/null && s=dom0-kernel
  local l
  l=$(grep -a -o '@@@LAB STAGE [^ ]*' "$log" 2>/dev/null | tail -1 | awk '{print $3}') || true
  [ -n "$l" ] && s=dom0-$l
  grep -a -q '@@@LAB DONE' "$log" 2>/dev/null && s=done
  echo "$s"
}
for attempt in 1 2; do
  log=$out/serial.log
  rm -f "$log"
  t0=$(date +%s.%N)
  rc=0
  timeout "$timeout" nice qemu-system-x86_64 -accel "${LAB_ACCEL:-tcg}" -machine q35 -m 2048 -smp 2 -cpu "$cpu" "${dev[@]}" \
    -display none -no-reboot -serial "file:$log" -monitor none \
    -kernel "$xen" -append "$xen_args" \
    -initrd "$R/boot/vmlinuz-$kver $dom0_args,$top/$rel/dom0.cpio" >"$out/qemu.out" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  secs=$(echo "$t1 - $t0" | bc)
  s=$(stage "$log")
  init=$(grep -a -o '@@@LAB STAGE init [0-9.]*' "$log" | awk '{print $4}' | head -1) || true
  echo "boot[$name] attempt $attempt: ${secs%.*} s, qemu rc $rc, reached $s (dom0 /init at dom0 uptime ${init:-?} s)"
  echo "$name attempt=$attempt seconds=$secs rc=$rc stage=$s init_uptime=${init:-}" >> "$top/runs/boots.log"
  if [ "$s" = done ]; then cp "$log" "$out/serial-ok.log"; exit 0; fi
  cp "$log" "$out/serial-attempt$attempt.log"
  [ $rc = 124 ] || break   # only a timeout is retried; a crash is a result
done
echo "boot[$name]: FAILED at stage '$s' (qemu rc $rc); serial log kept: $out/serial-attempt$attempt.log" >&2
tail -n 30 "$out/serial-attempt$attempt.log" | tr -d '\r' >&2
exit 1
