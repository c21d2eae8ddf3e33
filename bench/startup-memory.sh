#!/usr/bin/env bash
# Start-up time and resident memory with 100k keys: real etcd vs etcdj serve (same data volume).
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./etcdj version >/dev/null   # builds cli/target/etcdj.jar when needed
export ETCDCTL_API=3
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
start_etcd() { etcd --data-dir $1 --listen-client-urls http://127.0.0.1:$2 --advertise-client-urls http://127.0.0.1:$2 --listen-peer-urls http://127.0.0.1:$3 --initial-advertise-peer-urls http://127.0.0.1:$3 --initial-cluster default=http://127.0.0.1:$3 > $1.log 2>&1 & echo $!; }
# Through the launcher, as users start it: its memory defaults (bounded heap, serial GC) apply.
start_etcdj() { ./etcdj serve --data-dir $1 --listen-client-urls http://127.0.0.1:$2 --advertise-client-urls http://127.0.0.1:$2 > $1.log 2>&1 & echo $!; }
# Until the server answers etcdctl's health check. While nothing listens yet the port is probed
# with bash's /dev/tcp every 5 ms (a builtin wait, no process per probe), not with etcdctl runs
# back to back: each takes ~40 ms of CPU, so a loop of them held one of the two cores while the
# server started, which a JVM's start (JIT threads, GC) pays for and a Go binary's barely does.
# Once the port accepts, one etcdctl check waits for the answer itself (a server that binds before
# it recovers holds the request until it can answer); a failed check is retried.
exec {nap_fd}<> <(:)
nap() { read -t 0.005 -u "$nap_fd" || :; }
port_open() { { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1; exec 3>&-; }
healthy() {
  until port_open $1; do nap; done
  until etcdctl --endpoints=127.0.0.1:$1 --dial-timeout=200ms --command-timeout=30s endpoint health >/dev/null 2>&1; do nap; done
}
wait_ready() { local t0=$(date +%s%N); healthy $1; echo $(( ($(date +%s%N)-t0)/1000000 )); }
for kind in etcd etcdj; do
  D=$(mktemp -d); P=$(port); Q=$(port)
  pid=$(start_$kind $D/data $P $Q); wait_ready $P >/dev/null
  java -XX:+UseParallelGC -jar cli/target/etcdj.jar bench put --endpoints http://127.0.0.1:$P --total 100000 --warmup 0 --clients 64 --key-space-size 100000 --sequential-keys --val-size 256 --prefix "" --no-progress > $D/load.txt 2>&1
  n=$(etcdctl --endpoints=127.0.0.1:$P --command-timeout=120s get "" --from-key --keys-only | grep -c .)
  rss_loaded=$(ps -o rss= -p $pid)
  kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.1; done
  t0=$(date +%s%N); pid=$(start_$kind $D/data $P $Q); healthy $P; ms=$(( ($(date +%s%N)-t0)/1000000 ))
  # CPU the process spent to get there (user + system): on a loaded machine the wall time mostly
  # measures waiting for a core, this does not. Apart: the CPU of the processes it ran and waited
  # for (the launcher's, and any the JVM starts), which compete for the same cores.
  cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14+$15)*1000/hz) " ms, children " int(($16+$17)*1000/hz)}' /proc/$pid/stat)
  # touch every key once (etcdctl's default 5 s command timeout is too short on a loaded machine)
  etcdctl --endpoints=127.0.0.1:$P --command-timeout=120s get "" --from-key --keys-only >/dev/null
  rss_restart=$(ps -o rss= -p $pid)
  du=$(du -sh $D/data | cut -f1)
  echo "$kind: keys=$n; restart-to-healthy ${ms} ms (CPU ${cpu_ms} ms; load average $(cut -d' ' -f1 /proc/loadavg)); RSS after load ${rss_loaded} KiB, after restart+full scan ${rss_restart} KiB; data dir $du"
  grep -E "ops/s|throughput|p50" $D/load.txt | head -3
  kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.1; done; rm -rf $D
done
