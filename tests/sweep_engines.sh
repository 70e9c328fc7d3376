#!/usr/bin/env bash
# The sweep on the real engines (issue 16): the same sweep file run three ways -- `guestmem sweep --jobs 2`
# here, its emitted job list under GNU parallel, and its emitted array on a single-node Slurm cluster
# (munge + slurmctld + slurmd on this machine, generated config in a temp dir, stopped after) -- and
# `guestmem collect` must give byte-identical sweep.csv from all three.
#   GUESTMEM=path/to/guestmem  SWEEP=sweep file (default tests/data/sweep/small.json)  KEEP=1 keeps the temp dir
#   ENGINES="parallel slurm" (default: both)  REFERENCE_DIR=an existing local sweep of SWEEP to compare with
#   instead of running one (for long grids run by hand: its sweep.csv is collected when compared)
# Starting the daemons needs root. When Slurm cannot start, the script says so loudly and exits 1
# (SLURM_OPTIONAL=1 turns that into a warning and exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
GUESTMEM=$(cd "$(dirname "${GUESTMEM:?set GUESTMEM to the guestmem binary}")" && pwd)/$(basename "$GUESTMEM")
SWEEP=$(cd "$(dirname "${SWEEP:-tests/data/sweep/small.json}")" && pwd)/$(basename "${SWEEP:-small.json}")
bindir=$(dirname "$GUESTMEM")
T=$(mktemp -d /tmp/guestmem-engines.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "${KEEP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
start=$(date +%s)
step() { echo "== [$(( $(date +%s) - start )) s] $*"; }

ENGINES=${ENGINES:-parallel slurm}
ref=${REFERENCE_DIR:-$T/local}
if [ -z "${REFERENCE_DIR:-}" ]; then
  step "local: guestmem sweep --jobs 2"
  "$GUESTMEM" sweep "$SWEEP" --out "$T/local" --jobs 2 --quiet
fi
# Compares DIR's sweep.csv with the reference's (both collected now); fails loudly when they differ.
same_as_reference() {
  "$GUESTMEM" collect "$ref" --no-plots --format csv > /dev/null
  "$GUESTMEM" collect "$1" --no-plots --format csv > /dev/null
  if ! diff -u "$ref/sweep.csv" "$1/sweep.csv"; then
    echo "FAIL: sweep.csv from $2 differs from the local sweep" >&2; exit 1
  fi
}

if [[ " $ENGINES " == *" parallel "* ]]; then
  step "GNU parallel: the emitted job list"
  "$GUESTMEM" sweep "$SWEEP" --out "$T/parallel" --emit parallel > /dev/null
  ( cd "$T/parallel" && PATH="$bindir:$PATH" parallel --will-cite -j 2 --joblog joblog.txt --resume-failed < jobs.txt )
  same_as_reference "$T/parallel" "GNU parallel"
  echo "ok: GNU parallel ran $(($(wc -l < "$T/parallel/joblog.txt") - 1)) jobs; sweep.csv identical to the local sweep"
fi
[[ " $ENGINES " == *" slurm "* ]] || { step "done"; exit 0; }

step "Slurm: single-node cluster on this machine"
slurm_unavailable() {
  echo "############################################################" >&2
  echo "## SLURM TEST DID NOT RUN: $*" >&2
  for f in "$T"/slurm-conf/*.log; do [ -f "$f" ] && { echo "## --- $f" >&2; tail -n 15 "$f" >&2; }; done
  echo "############################################################" >&2
  if [ -n "${SLURM_OPTIONAL:-}" ]; then exit 0; fi
  exit 1
}
[ "$(id -u)" -eq 0 ] || slurm_unavailable "starting munged/slurmctld/slurmd needs root"
for p in munged slurmctld slurmd sbatch sinfo; do
  command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || slurm_unavailable "$p not installed (make sweep-engines installs it)"
done
export PATH="$PATH:/usr/sbin"
C="$T/slurm-conf"
mkdir -p "$C/state" "$C/spool" "$C/munge"
chmod 700 "$C/munge"
dd if=/dev/urandom of="$C/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$C/munge/munge.key"
munged --foreground --force --key-file="$C/munge/munge.key" --socket="$C/munge/munge.socket" \
  --pid-file="$C/munge/munged.pid" --seed-file="$C/munge/munged.seed" > "$C/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$C/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$C/munge/munge.socket" ] || slurm_unavailable "munged did not start"
host=$(hostname -s)
node=$(slurmd -C 2>/dev/null | grep '^NodeName=' | sed 's/ UpTime=.*//' || true)
[ -n "$node" ] || node="NodeName=$host CPUs=$(nproc)"
port=$((20000 + RANDOM % 20000))
cat > "$C/slurm.conf" <<CONF
ClusterName=guestmem
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$C/munge/munge.socket
CredType=cred/munge
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/slurmctld.log
SlurmdLogFile=$C/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
$node State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$C/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" > "$C/slurmctld.out.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" > "$C/slurmd.out.log" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 60); do
  state=$(sinfo -h -o %T 2>/dev/null | head -n1 || true)
  [ "$state" = "idle" ] && break
  sleep 0.5
done
[ "$state" = "idle" ] || slurm_unavailable "the node did not become idle within 30 s (state: '${state:-no answer}')"
echo "Slurm up: $(sinfo -h -o '%P %D %T %c CPUs')"
"$GUESTMEM" sweep "$SWEEP" --out "$T/slurm" --emit slurm --jobs 2 > /dev/null
( cd "$T/slurm" && GUESTMEM_BIN_DIR="$bindir" timeout "${SLURM_TIMEOUT:-240}" sbatch --wait --quiet sweep.sbatch ) ||
  { tail -n 5 "$T"/slurm/logs/*.err >&2 || true; echo "FAIL: the Slurm array did not finish cleanly" >&2; exit 1; }
tasks=$(ls "$T/slurm/logs" | grep -c '\.out$' || true)
same_as_reference "$T/slurm" "the Slurm array"
echo "ok: Slurm array ran $tasks tasks; sweep.csv identical to the local sweep"
step "done: identical sweep.csv from the local sweep and $ENGINES"
