#!/bin/sh
# /init of the lab's dom0 (busybox). Prints every observation between "@@@LAB BEGIN name" and
# "@@@LAB END name" lines on the console (hvc0 -> Xen -> QEMU's serial port); lab/split.sh cuts the
# serial log into one file per section. Progress markers: "@@@LAB STAGE name".
/bin/busybox --install -s /bin
. /lab/env
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/usr/lib/xen-$LAB_XEN/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /var/run/xen /var/run/xenstored /var/log/xen/console /dev/pts
mount -t devpts devpts /dev/pts
# Kernel messages stay in the ring buffer (the dmesg section) instead of interleaving with sections.
dmesg -n 1

say() { echo "@@@LAB $*"; }
# section NAME CMD...: CMD's output between markers. Busybox applets have been seen to segfault now
# and then under QEMU's TCG (kernel: "segfault at 0 ... in busybox"); a command killed by a signal
# is run again, at most three times, and the retry is an event in the log.
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
balloon() {
  _b=/sys/devices/system/xen_memory/xen_memory0
  for _f in target_kb info/current_kb info/low_kb info/high_kb; do
    echo "$_f $(cat $_b/$_f 2>/dev/null || echo NA)"
  done
}
e820_lines() { set -o pipefail; dmesg | grep -E '(BIOS-e820|Xen|e820): \[mem '; }
memtotal() { awk '/^MemTotal:/ {print $2}' /proc/meminfo; }

say "STAGE init $(cut -d' ' -f1 /proc/uptime)"
section uname uname -a
section cmdline cat /proc/cmdline
section xen-guest-type sh -c 'cat /sys/hypervisor/guest_type 2>/dev/null; cat /sys/hypervisor/properties/features 2>/dev/null'
section e820 e820_lines
section iomem cat /proc/iomem
section balloon balloon
section meminfo cat /proc/meminfo
section buddyinfo cat /proc/buddyinfo

say "STAGE tools $(cut -d' ' -f1 /proc/uptime)"
tools_ok=1
for m in $(cat /lab/modules); do insmod /lab/$m.ko || tools_ok=0; done
mount -t xenfs xenfs /proc/xen || tools_ok=0
xenstored --pid-file /var/run/xenstored.pid >/var/log/xen/xenstored.out 2>&1 || tools_ok=0
xen-init-dom0 >/var/log/xen/init-dom0.log 2>&1 || tools_ok=0
xenconsoled --pid-file=/var/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console >/var/log/xen/xenconsoled.out 2>&1 || tools_ok=0
section xl-info xl info
section xl-list xl list
if [ $tools_ok = 1 ]; then
  say "STAGE experiments $(cut -d' ' -f1 /proc/uptime)"
  . /lab/experiments.sh
  for e in $(sed -n 's/.*lab\.exp=\([^ ]*\).*/\1/p' /proc/cmdline | tr '+' ' '); do
    say "STAGE exp-$e $(cut -d' ' -f1 /proc/uptime)"
    "exp_$(echo $e | tr - _)"
  done
else
  say "STAGE tools-failed"
  section tools-logs sh -c 'lsmod; ls -l /dev/xen; cat /var/log/xen/*'
fi
# dom0 after the experiments: where the mappings' "Xen scratch" ranges landed, and the balloon.
section iomem-end cat /proc/iomem
section balloon-end balloon
section meminfo-end cat /proc/meminfo
section buddyinfo-end cat /proc/buddyinfo
section dmesg dmesg
say "DONE $(cut -d' ' -f1 /proc/uptime)"
sync
poweroff -f
