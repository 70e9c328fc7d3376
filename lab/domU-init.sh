#!/bin/sh
# /init of the lab's domU (busybox). Its console (hvc0) is logged by dom0's xenconsoled; dom0 reads
# the sections and samples from that log. After the boot sections it samples its balloon sysfs and
# MemTotal once a second until dom0 destroys it.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
dmesg -n 1
say() { echo "@@@DOMU $*"; }
b=/sys/devices/system/xen_memory/xen_memory0
balloon() {
  for f in target_kb info/current_kb info/low_kb info/high_kb; do echo "$f $(cat $b/$f 2>/dev/null || echo NA)"; done
}
# section NAME CMD...: as in dom0's /init, a command killed by a signal (busybox segfaults seen
# under TCG) is run again, at most three times.
section() {
  _n=$1; shift
  _try=1
  while :; do
    _out=$("$@" 2>&1)
    _rc=$?
    [ $_rc -lt 128 ] || [ $_try -ge 3 ] || { say "RETRY $_n rc=$_rc"; _try=$((_try + 1)); continue; }
    break
  done
  say "BEGIN $_n"
  [ -n "$_out" ] && printf '%s\n' "$_out"
  say "END $_n rc=$_rc"
}
section domU-e820 sh -c "set -o pipefail; dmesg | grep -E '(BIOS-e820|Xen|e820): \[mem '"
section domU-iomem cat /proc/iomem
section domU-balloon balloon
section domU-meminfo cat /proc/meminfo
say "READY"
i=0
while [ $i -lt 600 ]; do
  # A field a dying applet left empty would shift the others: such a line is not printed.
  l="S $(cut -d' ' -f1 /proc/uptime) $(cat $b/target_kb) $(cat $b/info/current_kb) $(cat $b/info/low_kb) $(cat $b/info/high_kb) $(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
  set -- $l
  [ $# -eq 7 ] && echo "$l"
  # Balloon messages (e.g. the back-off when Xen refuses pages) as they come.
  dmesg -c | grep -i -E 'balloon|xen_memory' | sed 's/^/K /'
  sleep 1
  i=$((i + 1))
done
poweroff -f
