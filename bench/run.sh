#!/usr/bin/env bash
# Builds the bench module (and what it needs) and runs the benchmark program.
#
#   bench/run.sh put --endpoints http://127.0.0.1:2379 --total 10000 --compare jetcd
#   bench/run.sh matrix --markdown /tmp/results.md        # starts etcd (and etcdj's server) itself
#   bench/run.sh jmh -prof gc                             # the JMH suite (args go to JMH)
#
# The Go reference (bench/go, etcd's clientv3) is built into bench/target/etcdgobench when Go and
# Debian's etcd sources are installed (apt-get install golang-go golang-etcd-server-dev).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

build() {
  mvn -B -q "$@" -Dbench.codec -pl bench -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
}
build -o || build

if command -v go >/dev/null && [ -d /usr/share/gocode/src/go.etcd.io/etcd/clientv3 ]; then
  src=bench/go/src/etcdgobench/main.go
  bin=bench/target/etcdgobench
  if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
    GO111MODULE=off GOPATH="$root/bench/go:/usr/share/gocode" GOCACHE="$root/bench/target/go-cache" \
      go build -o "$bin" etcdgobench >&2
  fi
fi

cp="bench/target/classes:$(cat bench/target/classpath.txt)"
if [ "${1:-}" = "jmh" ]; then
  shift
  exec java -cp "$cp" org.openjdk.jmh.Main "$@"
fi
exec java -Xmx2g -cp "$cp" dev.etcdj.bench.BenchMain "$@"
