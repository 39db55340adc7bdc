#!/usr/bin/env bash
# Local single-node Apache Kafka broker (KRaft, broker+controller in one JVM)
# built from Maven Central jars: no Docker, no Kafka package needed, only
# Java 17+ and Maven (the jars are fetched once into kafka/.cache/lib).
#
#   scripts/kafka.sh fetch    fetch the broker jars (once; again when kafka/pom.xml changes)
#   scripts/kafka.sh start    start the broker in the background and wait until it is ready
#   scripts/kafka.sh run      run the broker in the foreground (SIGTERM/Ctrl-C stops it cleanly)
#   scripts/kafka.sh stop     stop the broker this script started
#   scripts/kafka.sh status   does something answer on the broker port, and is it ours?
#
# Environment:
#   KAFKA_BROKERS          first entry is the broker address (default 127.0.0.1:9092).
#                          If something already answers there, start/run leave it alone.
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default: broker port + 1)
#   KAFKA_DATA_DIR         data dir: config, storage, pid, log (default <repo>/.data/kafka)
#   KAFKA_HEAP_OPTS        JVM heap (default "-Xms256m -Xmx768m")
#   KAFKA_JVM_OPTS         extra JVM options
#   KAFKA_START_TIMEOUT    seconds to wait for readiness (default 90)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
POM="$ROOT/kafka/pom.xml"
LOG4J_CONF="$ROOT/kafka/log4j2.properties"
CACHE="$ROOT/kafka/.cache"
LIB="$CACHE/lib"

DATA="${KAFKA_DATA_DIR:-$ROOT/.data/kafka}"
[[ "$DATA" == /* ]] || DATA="$PWD/$DATA"
PROPS="$DATA/server.properties"
PIDFILE="$DATA/broker.pid"
LOGFILE="$DATA/server.log"
CLUSTER_ID_FILE="$DATA/cluster.id"
LOG_DIR="$DATA/kraft-logs"

# Broker address: first entry of KAFKA_BROKERS ("host:port[,host:port...]").
first="${KAFKA_BROKERS:-127.0.0.1:9092}"
first="${first%%,*}"
first="${first##*://}"
first="${first// /}"
HOST="${first%:*}"
PORT="${first##*:}"
[[ "$HOST" != "$first" && -n "$HOST" ]] || HOST=127.0.0.1
[[ "$PORT" =~ ^[0-9]+$ ]] || PORT=9092
case "$HOST" in
  localhost | 127.*) BIND_HOST=127.0.0.1; LOCAL=1 ;;
  *) BIND_HOST="$HOST"; LOCAL=0 ;;
esac
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
ADDR="$HOST:$PORT"

say() { echo "kafka: $*"; }
die() { echo "kafka: $1" >&2; exit "${2:-1}"; }

now_ms() { date +%s%3N; }
elapsed() { local ms=$(($(now_ms) - $1)); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }

# True when something accepts TCP connections on host:port (no nc needed).
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# Pid of the broker this script started, when it is still alive.
our_pid() {
  local pid
  [[ -f "$PIDFILE" ]] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "kafka.Kafka $PROPS" || return 1
  echo "$pid"
}

alternatives="use an existing cluster via KAFKA_BROKERS=host:port, or 'docker compose up kafka'"

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "java not found (Java 17+ and Maven are needed for the local broker); $alternatives" 2
  local v
  v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  [[ -z "$v" || "$v" -ge 17 ]] ||
    die "java $v found but Kafka 4 needs Java 17+; $alternatives" 2
}

pom_hash() { sha256sum "$POM" | cut -c1-16; }

cmd_fetch() {
  require_java
  local hash marker tmp t0 version
  hash="$(pom_hash)"
  marker="$LIB/.fetched-$hash"
  [[ -f "$marker" ]] && return 0
  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found (Maven is needed once to fetch the Kafka jars); $alternatives" 2
  version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -1)"
  say "fetching Apache Kafka ${version:-?} jars with Maven into kafka/.cache/lib (one time) ..."
  t0="$(now_ms)"
  mkdir -p "$CACHE"
  tmp="$CACHE/lib.tmp.$$"
  rm -rf "$tmp"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -Dkafka.lib.dir="$tmp" >"$CACHE/fetch.log" 2>&1; then
    rm -rf "$tmp"
    tail -n 20 "$CACHE/fetch.log" >&2 || true
    die "Maven could not fetch the Kafka jars (full output: kafka/.cache/fetch.log)"
  fi
  touch "$tmp/.fetched-$hash"
  rm -rf "$LIB"
  mv -T "$tmp" "$LIB" 2>/dev/null || rm -rf "$tmp" # a parallel fetch won the race
  say "fetched $(find "$LIB" -name '*.jar' | wc -l) jars in $(elapsed "$t0")"
}

JAVA_BASE_OPTS=(-Djava.awt.headless=true "-Dlog4j2.configurationFile=$LOG4J_CONF" "-Dkafka.logs.dir=$DATA")

broker_java_cmd() {
  # shellcheck disable=SC2206
  BROKER_CMD=(java -server ${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15
    "${JAVA_BASE_OPTS[@]}" ${KAFKA_JVM_OPTS:-}
    -cp "$LIB/*" kafka.Kafka "$PROPS")
}

write_config() {
  mkdir -p "$DATA" "$LOG_DIR"
  cat >"$PROPS" <<EOF
# Written by scripts/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$BIND_HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$BIND_HOST:$PORT,CONTROLLER://$BIND_HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$BIND_HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$LOG_DIR

# Single node: every replication factor and min.insync.replicas is 1.
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=6
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Topics are created explicitly by the application.
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0

# Keep a dev box's disk in check.
log.retention.hours=72
log.segment.bytes=67108864
EOF
}

format_storage_once() {
  [[ -f "$LOG_DIR/meta.properties" ]] && return 0
  local cid t0
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    # A Kafka Uuid: 16 random bytes, base64url without padding, not starting with '-'.
    cid="-"
    while [[ "$cid" == -* ]]; do
      cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    echo "$cid" >"$CLUSTER_ID_FILE"
  fi
  cid="$(cat "$CLUSTER_ID_FILE")"
  t0="$(now_ms)"
  if ! java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "${JAVA_BASE_OPTS[@]}" -cp "$LIB/*" \
    kafka.tools.StorageTool format -t "$cid" -c "$PROPS" >"$DATA/format.log" 2>&1; then
    cat "$DATA/format.log" >&2
    die "formatting the storage in $LOG_DIR failed"
  fi
  say "formatted storage in $LOG_DIR (cluster id $cid) in $(elapsed "$t0")"
}

# Shared by start and run: returns 1 when a broker already answers (nothing to do).
prepare() {
  local pid
  if port_open "$HOST" "$PORT"; then
    if pid="$(our_pid)"; then
      say "broker already running at $ADDR (started by this script, pid $pid)"
    else
      say "something already answers at $ADDR (not started by this script); using it"
    fi
    return 1
  fi
  if pid="$(our_pid)"; then
    return 0 # ours, still starting: start waits for it below
  fi
  [[ "$LOCAL" == 1 ]] ||
    die "nothing answers at $ADDR (from KAFKA_BROKERS) and it is not a local address, so no broker is started"
  require_java
  cmd_fetch
  if port_open "$BIND_HOST" "$CONTROLLER_PORT"; then
    die "controller port $BIND_HOST:$CONTROLLER_PORT is taken by another process (set KAFKA_CONTROLLER_PORT)"
  fi
  write_config
  format_storage_once
}

wait_ready() { # pid t0
  local pid="$1" t0="$2" deadline=$(($(date +%s) + ${KAFKA_START_TIMEOUT:-90}))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "kafka: broker exited during startup; last lines of $LOGFILE:" >&2
      tail -n 40 "$LOGFILE" >&2 || true
      rm -f "$PIDFILE"
      exit 1
    fi
    # The log exists when `start` launched the broker; a `run` broker logs to its
    # terminal instead, and there the port answering has to do.
    if port_open "$HOST" "$PORT" &&
      { [[ ! -f "$LOGFILE" ]] || grep -q "Kafka Server started" "$LOGFILE"; }; then
      return 0
    fi
    if (($(date +%s) >= deadline)); then
      echo "kafka: broker not ready after ${KAFKA_START_TIMEOUT:-90}s; stopping it. Last lines of $LOGFILE:" >&2
      tail -n 40 "$LOGFILE" >&2 || true
      stop_pid "$pid" >/dev/null
      exit 1
    fi
    sleep 0.2
  done
}

cmd_start() {
  local t0 pid
  t0="$(now_ms)"
  prepare || return 0
  if ! pid="$(our_pid)"; then
    broker_java_cmd
    [[ -f "$LOGFILE" ]] && mv -f "$LOGFILE" "$LOGFILE.1"
    rm -f "$PIDFILE"
    # setsid: the broker outlives the calling terminal/process group; the
    # wrapper writes the pid that `exec` then hands over to the JVM.
    # shellcheck disable=SC2016 # $$ and $@ belong to the inner bash
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" "${BROKER_CMD[@]}" \
      >"$LOGFILE" 2>&1 </dev/null &
    for _ in $(seq 50); do [[ -s "$PIDFILE" ]] && break; sleep 0.1; done
    pid="$(cat "$PIDFILE")"
  fi
  wait_ready "$pid" "$t0"
  say "broker ready at $ADDR (pid $pid, $(elapsed "$t0"); log $LOGFILE)"
}

cmd_run() {
  prepare || return 0
  local pid
  if pid="$(our_pid)"; then
    die "a broker started by this script (pid $pid) is still starting; use 'stop' first"
  fi
  broker_java_cmd
  say "running broker in the foreground at $ADDR (data $DATA; SIGTERM or Ctrl-C stops it)"
  [[ -f "$LOGFILE" ]] && mv -f "$LOGFILE" "$LOGFILE.1"
  echo $$ >"$PIDFILE" # exec keeps this pid
  exec "${BROKER_CMD[@]}"
}

stop_pid() { # pid -> stops it, waiting for exit
  local pid="$1" t0 i
  t0="$(now_ms)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 600; i++)); do # 60 s for a clean shutdown
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    say "broker pid $pid did not stop within 60s; killed it"
  else
    say "stopped broker (pid $pid) in $(elapsed "$t0")"
  fi
  rm -f "$PIDFILE"
}

cmd_stop() {
  local pid
  if pid="$(our_pid)"; then
    stop_pid "$pid"
  else
    rm -f "$PIDFILE"
    say "no broker started by this script is running"
  fi
}

cmd_status() {
  local pid answers=0
  port_open "$HOST" "$PORT" && answers=1
  if pid="$(our_pid)"; then
    if ((answers)); then
      say "$ADDR answers: broker started by this script (pid $pid, data $DATA)"
    else
      say "$ADDR does not answer yet: broker started by this script (pid $pid) is starting"
    fi
  elif ((answers)); then
    say "$ADDR answers: not started by this script"
  else
    say "$ADDR does not answer: no broker running"
  fi
  ((answers))
}

case "${1:-}" in
  fetch) require_java; cmd_fetch ;;
  start) cmd_start ;;
  run) cmd_run ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    [[ "${1:-}" =~ ^(-h|--help|help)$ ]] || exit 64
    ;;
esac
