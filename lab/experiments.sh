# Experiments of the lab's dom0, sourced by /init after the Xen tools started; selected with the dom0
# kernel parameter lab.exp=NAME+NAME (function exp_NAME, '-' read as '_'). Each prints sections.
domu_log=/var/log/xen/console/guest-lab-domu.log

# wait_for PATTERN SECONDS: until the domU's console log has a line matching PATTERN.
wait_for() {
  _i=0
  while [ $_i -lt $(( $2 * 5 )) ]; do
    tr -d '\r' < $domu_log 2>/dev/null | grep -q "$1" && return 0
    sleep 0.2; _i=$((_i + 1))
  done
  return 1
}
# sample: the domU's last "S uptime target current low high MemTotal" line, fields 2- .
# Only complete lines count (under TCG a busybox applet in the domU's sampling loop has been seen to die
# and leave a field empty).
sample() { tr -d '\r' < $domu_log | awk '/^S / && NF == 7 {l = $0} END {print substr(l, 3)}'; }
# settle MAX STABLE [TARGET_KB]: until the domU's balloon reached its target (current_kb = target_kb,
# and target_kb = TARGET_KB once the domU has seen the new target), or its samples stayed the same
# for STABLE seconds after that (Xen refused pages: the balloon backs off), at most MAX seconds.
settle() {
  _prev= _same=0 _i=0
  while [ $_i -lt $1 ]; do
    sleep 1
    _cur=$(sample | awk '{print $2, $3, $4, $5, $6}')
    _i=$((_i + 1))
    if [ -n "$3" ] && ! echo "$_cur" | awk -v t="$3" '{exit !($1 == t)}'; then continue; fi
    echo "$_cur" | awk '{exit !($1 == $2)}' && return 0
    if [ -n "$_cur" ] && [ "$_cur" = "$_prev" ]; then
      _same=$((_same + 1)); [ $_same -ge $2 ] && return 1
    else
      _same=0
    fi
    _prev=$_cur
  done
  return 1
}

# A PV domU with memory 256 MiB < maxmem 512 MiB, ballooned down, up, up beyond what Xen has free
# (dom0 holds dom0_mem, QEMU has 2 GiB: the refusal case) and back.
exp_domu_memset() {
  section domU-cfg cat /lab/domU.cfg
  section domU-create xl create /lab/domU.cfg
  section domU-xl-list-boot xl list
  if ! wait_for '@@@DOMU READY' 200; then
    say "FAIL domU did not come up"
    section domU-xl-list-fail xl list
    section xen-dmesg xl dmesg
    section domU-console sh -c "tr -d '\r' < $domu_log"
    return
  fi
  settle 20 3
  section domU-state-boot sample
  section xl-info-free sh -c 'xl info | grep -E "^(total|free)_memory"'
  for t in ${LAB_MEMSET:-192 384 512 256}; do
    say "MEMSET $t $(cut -d' ' -f1 /proc/uptime)"
    xl mem-set lab-domu ${t}m
    # 45 s: a worker in back-off (up to balloon_stats.max_schedule_delay, 32 s) picks a new target
    # up only when its delayed work runs.
    settle 60 8 $((t * 1024)) || say "WARN domU balloon at $(sample) for target $t MiB"
    section domU-state-$t sample
    section domU-xl-list-$t xl list
  done
  xl destroy lab-domu
  section domU-console sh -c "tr -d '\r' < $domu_log"
}

# The real backend: guestmem, in dom0, balloons a paused PVH domain through libxenctrl. The domain's
# memory (256 MiB; xl gives PVH no populate-on-demand, so memory = maxmem) matches lab/scenarios/real-backend.json; its kernel
# never runs. xl list before and after, the hypercall trace, then guestmem calibrate on that trace.
exp_real_backend() {
  cat > /tmp/target.cfg <<CFG
name = "lab-target"
type = "pvh"
kernel = "/lab/vmlinux"
memory = 256
vcpus = 1
CFG
  section rb-create xl create -p /tmp/target.cfg
  domid=$(xl domid lab-target)
  section rb-xl-list-before xl list
  section rb-domain-before sh -c "xl list -l lab-target | grep -E '\"(memkb|max_memkb|target_memkb)\"'; xl info | grep -E '^(total|free)_memory'"
  section rb-run guestmem run /lab/scenarios/real-backend.json --backend xen --domid "$domid" \
    --hypercall-trace /tmp/calls.jsonl --out /tmp/rb
  section rb-xl-list-after xl list
  section rb-trace cat /tmp/calls.jsonl
  section rb-report-balloon sh -c "tr -d ' \n' < /tmp/rb/report.json | grep -o '\"balloon\":{[^}]*}[^}]*}[^}]*}[^}]*}[^}]*}[^}]*}'"
  section rb-calibrate guestmem calibrate /tmp/calls.jsonl
  # The refusal of a target outside the domain: guestmem must refuse dom0 (exit 2).
  section rb-refuse-dom0 guestmem run /lab/scenarios/real-backend.json --backend xen --domid 0 --out /tmp/rb0
  xl destroy lab-target
}

# dom0 maps a domain's memory: xl create -p builds a 64 MiB PVH domain (libxc maps its frames through
# privcmd, xenstored and xenconsoled map its rings through grants) and leaves it paused; the
# "Xen scratch" ranges dom0's allocator took for those mappings show in /proc/iomem.
exp_map() {
  cat > /tmp/map.cfg <<CFG
name = "lab-map"
type = "pvh"
kernel = "/lab/vmlinux"
memory = 64
vcpus = 1
CFG
  section map-create xl create -p /tmp/map.cfg
  section map-iomem sh -c 'grep -B1 -A1 "Xen scratch" /proc/iomem'
  xl destroy lab-map
}
