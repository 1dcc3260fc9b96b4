#!/usr/bin/env bash
# Issue 16: run the README's cluster instructions for real on this machine, and check that they
# give what one process gives.
#
#  1. Installs what is missing (Debian: slurmctld, slurmd, slurm-client, munge, parallel, python3).
#  2. Starts a single-node Slurm on 127.0.0.1: munged with its own key and socket, slurmctld and
#     slurmd with a minimal slurm.conf, everything in a temporary folder, on free ports.
#  3. Submits the README's job-array example exactly as written there (the lines are read from
#     README.md) over a collection, waits for the array, runs the README's merge line.
#  4. Runs the README's GNU parallel lines the same way, in another folder.
#  5. Compares both merged summaries, and every document's report, with a single-process
#     `batch` over the same manifest (each run with its own empty OCR cache).
# Every daemon it started is stopped by its pid at the end, failed or not.
#
#   scripts/slurm_local.sh            (builds the release binary)
#   SCANPROOF=path/to/scanproof COLLECTION=DIR scripts/slurm_local.sh
# COLLECTION is a folder holding manifest.csv (and whatever it names, by relative or absolute
# paths), copied for each run; without it, the bundled sample's pages make the collection.
# Exit status 0 when both runs match the single process; the figures go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

say() { echo "slurm_local: $*" >&2; }

# --- 1. packages --------------------------------------------------------------------------
need=()
for p in slurmctld slurmd slurm-client munge parallel python3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # Other installs may run at the same time on a shared machine: one apt at a time.
  $sudo flock /tmp/apt.lock apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo flock /tmp/apt.lock \
    apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if [ -z "${SCANPROOF:-}" ]; then
  cargo build --release --quiet --bin scanproof
  SCANPROOF=$root/target/release/scanproof
fi
SCANPROOF=$(realpath "$SCANPROOF")

work=$(mktemp -d /tmp/scanproof-slurm.XXXXXX)
chmod 755 "$work"
pids=()
stop_daemons() {
  local rc=$?
  # Last started, first stopped: slurmd, slurmctld, munged.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ $rc -ne 0 ]; then
    say "failed; daemon logs:"
    tail -n 20 "$work"/log/*.log >&2 2>/dev/null || true
  fi
  rm -rf "$work"
  exit $rc
}
trap stop_daemons EXIT

# scanproof on PATH, as the README's lines call it; the OCR cache of each run is its own.
mkdir -p "$work/bin" "$work/log"
ln -s "$SCANPROOF" "$work/bin/scanproof"
export PATH="$work/bin:$PATH"

# --- the collection: the sample's five pages as one-page documents, and three of several
# pages (pages shared between documents: shards write the same cache entries at once).
make_collection() {
  local dir=$1
  mkdir -p "$dir"
  if [ -n "${COLLECTION:-}" ]; then
    cp -r "$COLLECTION"/. "$dir"/
    return
  fi
  cp transcripts/bagirov-1946.txt "$dir/telegram.txt"
  local s=$root/scans/bagirov-1946
  {
    echo "id,scans,transcript,lang"
    for i in 1 2 3 4 5; do echo "page-$i,$s/page-$i.png,telegram.txt,rus"; done
    echo "pages-1-2,$s/page-1.png;$s/page-2.png,telegram.txt,rus"
    echo "pages-3-5,$s/page-3.png;$s/page-4.png;$s/page-5.png,telegram.txt,rus"
    echo "whole,$s,telegram.txt,rus"
  } > "$dir/manifest.csv"
}

# --- the README's own lines -----------------------------------------------------------------
readme_block() { sed -n "/$1/,/$2/p" README.md | sed 's/^ *//'; }
slurm_block=$(readme_block '# Slurm: a job array' '# then:')
job_lines=$(grep -E '^(#SBATCH|scanproof batch)' <<< "$slurm_block")
slurm_merge=$(grep -E '^# then: ' <<< "$slurm_block" | sed 's/^# then: //')
parallel_block=$(readme_block '# GNU parallel on one machine' 'scanproof merge')
parallel_lines=$(grep -E '^(parallel|scanproof merge)' <<< "$parallel_block")
array=$(grep -oE -- '--array=[0-9]+-[0-9]+' <<< "$job_lines" | head -1)
cpus=$(grep -oE -- '--cpus-per-task=[0-9]+' <<< "$job_lines" | head -1 | cut -d= -f2)
if [ -z "$array" ] || [ -z "$cpus" ] || [ -z "$slurm_merge" ] || [ "$(wc -l <<< "$parallel_lines")" -ne 2 ]; then
  say "could not find the README's Slurm and GNU parallel examples"
  exit 1
fi
tasks=$((${array#--array=*-} + 1))

# --- 2. Slurm on 127.0.0.1 ------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
user=$(id -un)
host=$(hostname -s)
mkdir -p "$work/munge" "$work/state" "$work/spool"
chmod 755 "$work/munge"
head -c 1024 /dev/urandom > "$work/munge/munge.key"
chmod 400 "$work/munge/munge.key"
munged -F --force --key-file="$work/munge/munge.key" --socket="$work/munge/socket" \
  --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/seed" --log-file="$work/log/munged.log" \
  > "$work/log/munged.out.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/munge/socket" ] && break; sleep 0.1; done
[ -S "$work/munge/socket" ] || { say "munged did not start"; exit 1; }

# The node declares the CPUs the README's array asks for (two tasks of --cpus-per-task at a
# time), whatever this machine has: the point is Slurm's own handling of the array.
node_cpus=$((cpus * 2))
cat > "$work/slurm.conf" <<EOF
ClusterName=scanproof
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$node_cpus RealMemory=4000 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$work/slurm.conf
slurmctld -D -f "$SLURM_CONF" > "$work/log/slurmctld.out.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" > "$work/log/slurmd.out.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  sleep 0.2
done
sinfo -h -o '%T' | grep -qE '^(idle|mixed|allocated)' || { say "the node did not come up: $(sinfo 2>&1)"; exit 1; }
say "slurm $(sinfo -V | cut -d' ' -f2) up: node $host, $node_cpus CPUs declared, pids ${pids[*]}"

seconds() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# --- 5. the reference: one process, its own cache -------------------------------------------
make_collection "$work/single"
t=$(date +%s.%N)
(cd "$work/single" && XDG_CACHE_HOME="$work/single/cache" scanproof batch manifest.csv -o out --quiet --exit-zero)
single_s=$(seconds "$t")

# --- 3. the job array -----------------------------------------------------------------------
make_collection "$work/slurm"
{ echo '#!/bin/sh'; echo "$job_lines"; } > "$work/slurm/job.sh"
say "job script (from README.md):"
sed 's/^/    /' "$work/slurm/job.sh" >&2
t=$(date +%s.%N)
job=$(cd "$work/slurm" && XDG_CACHE_HOME="$work/slurm/cache" sbatch --parsable --output="$work/slurm/task-%a.log" job.sh)
job=${job%%;*}
for _ in $(seq 1800); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 1
done
slurm_s=$(seconds "$t")
states=$(scontrol -o show job "$job" | grep -oE 'JobState=[A-Z_]+ .*ExitCode=[0-9]+:[0-9]+' |
  sed -E 's/JobState=([A-Z_]+) .*ExitCode=([0-9:]+)/\1 \2/' | sort | uniq -c | tr -s ' ' | paste -sd, -)
say "array $job finished in ${slurm_s}s: ${states}"
cat "$work"/slurm/task-*.log >&2 2>/dev/null || true
if [ "$(scontrol -o show job "$job" | grep -c 'JobState=COMPLETED')" -ne "$tasks" ]; then
  say "not every array task completed: $(scontrol -o show job "$job" | grep -oE 'ArrayTaskId=[0-9]+ .*JobState=[A-Z]+' | sed 's/ .*JobState=/=/' | paste -sd' ')"
  exit 1
fi
# The README's lines run as written; batch exits 0 (--exit-zero), merge 1 when flags are shown.
run_line() {
  local dir=$1 line=$2 most=$3 rc=0
  (cd "$dir" && eval "$line") || rc=$?
  if [ $rc -gt "$most" ]; then
    say "exit status $rc from: $line"
    exit 1
  fi
}
run_line "$work/slurm" "$slurm_merge" 1

# --- 4. GNU parallel --------------------------------------------------------------------------
make_collection "$work/parallel"
t=$(date +%s.%N)
# --will-cite is not in the README's line: it only silences GNU parallel's citation notice.
mkdir -p "$work/parallel/home/.parallel" && touch "$work/parallel/home/.parallel/will-cite"
export HOME="$work/parallel/home" XDG_CACHE_HOME="$work/parallel/cache"
run_line "$work/parallel" "$(sed -n 1p <<< "$parallel_lines")" 0
run_line "$work/parallel" "$(sed -n 2p <<< "$parallel_lines")" 1
parallel_s=$(seconds "$t")

# --- compare ----------------------------------------------------------------------------------
same() {
  local name=$1 dir=$2 ok=yes
  if ! cmp -s "$work/single/out/summary.json" "$dir/out/summary.json"; then
    diff "$work/single/out/summary.json" "$dir/out/summary.json" >&2 || true
    ok=no
  fi
  for f in "$work"/single/out/*.json; do
    case $(basename "$f") in summary*) continue ;; esac
    cmp -s "$f" "$dir/out/$(basename "$f")" || { say "$name: $(basename "$f") differs"; ok=no; }
  done
  local docs
  docs=$(grep -c '"id"' "$dir/out/summary.json")
  say "$name: merged summary of $docs documents $([ $ok = yes ] && echo equals || echo DIFFERS FROM) the single process's"
  [ $ok = yes ]
}
rc=0
same "slurm job array" "$work/slurm" || rc=1
same "GNU parallel" "$work/parallel" || rc=1
printf 'single process %ss, slurm array (%s tasks) %ss, GNU parallel %ss; load %s\n' \
  "$single_s" "$tasks" "$slurm_s" "$parallel_s" "$(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
