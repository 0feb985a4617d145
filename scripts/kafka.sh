#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker+controller) for local dev,
# integration tests and CI -- without Docker and without downloads.apache.org:
# the broker jars come from Maven Central via scripts/kafka/pom.xml.
#
# Usage: scripts/kafka.sh fetch|start|stop|status
#
# Environment (all optional):
#   KAFKA_VERSION          broker version (default below)
#   KAFKA_PORT             PLAINTEXT listener port        (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener port  (default 9093)
#   LENDGUARD_CACHE        jar cache root   (default ~/.cache/lendguard)
#   LENDGUARD_RUN_DIR      runtime/data dir (default <repo>/.run)
#   KAFKA_START_TIMEOUT    seconds to wait for readiness   (default 90)
#   KAFKA_HEAP_OPTS        JVM heap flags (default -Xmx768m -Xms256m)
#   KAFKA_SASL_USER, KAFKA_SASL_PASSWORD
#                          when both are set: KAFKA_PORT speaks SASL_PLAINTEXT with SCRAM-SHA-512 for that
#                          user (created at format time), and KAFKA_INTERNAL_PORT (required then) stays
#                          PLAINTEXT for the broker itself and the readiness probe. For tests.
#   KAFKA_SSL_KEYSTORE, KAFKA_SSL_KEY_PASSWORD
#                          when both are set: KAFKA_PORT speaks TLS with that PEM keystore (an encrypted
#                          private key and the certificate chain), KAFKA_INTERNAL_PORT stays PLAINTEXT. For tests.
set -euo pipefail

# Pinned on purpose: kafkajs 2.2.4 is unmaintained and only speaks older
# protocol versions; Kafka 4.x removed many of those (KIP-896) and ZooKeeper-era
# defaults. 3.9.x is the last 3.x line, supports KRaft combined mode and every
# API version kafkajs uses (incl. transactions / TxnOffsetCommit).
KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx768m -Xms256m}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
CACHE_ROOT="${LENDGUARD_CACHE:-$HOME/.cache/lendguard}"
KAFKA_HOME="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIBS_DIR="$KAFKA_HOME/libs"
FETCH_MARKER="$KAFKA_HOME/.fetched"
RUN_ROOT="${LENDGUARD_RUN_DIR:-$REPO_DIR/.run}"
DATA_DIR="$RUN_ROOT/kafka"
LOG_DIR="$DATA_DIR/logs"
PID_FILE="$DATA_DIR/kafka.pid"
PROPS_FILE="$DATA_DIR/server.properties"
LOG4J_FILE="$DATA_DIR/log4j.properties"
STDOUT_LOG="$LOG_DIR/kafka.out"

log() { printf '[kafka] %s\n' "$*" >&2; }
die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { # port -> 0 if something accepts TCP connections on 127.0.0.1:port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_alive() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

log_tail() {
  local f
  for f in "$STDOUT_LOG" "$LOG_DIR/server.log"; do
    if [[ -s "$f" ]]; then
      printf '[kafka] ---- last 40 lines of %s ----\n' "$f" >&2
      tail -n 40 "$f" >&2 || true
    fi
  done
}

cmd_fetch() {
  if [[ -f "$FETCH_MARKER" && -d "$LIBS_DIR" ]]; then
    log "Kafka $KAFKA_VERSION jars already cached in $LIBS_DIR"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install -y maven default-jdk-headless)"
  command -v java >/dev/null 2>&1 || die "java not found (apt-get install -y default-jdk-headless)"
  log "fetching Kafka $KAFKA_VERSION + runtime deps from Maven Central into $LIBS_DIR"
  mkdir -p "$KAFKA_HOME"
  local tmp="$KAFKA_HOME/libs.tmp.$$"
  rm -rf "$tmp"
  local start=$SECONDS
  if ! mvn -q -B -Dstyle.color=never -f "$SCRIPT_DIR/kafka/pom.xml" \
      -Dkafka.version="$KAFKA_VERSION" \
      -DoutputDirectory="$tmp" \
      dependency:copy-dependencies 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2; then
    rm -rf "$tmp"
    die "maven failed to fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"; }
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  date -u +%FT%TZ > "$FETCH_MARKER"
  log "fetched $(ls "$LIBS_DIR" | wc -l) jars in $((SECONDS - start))s"
}

sasl_enabled() { [[ -n "${KAFKA_SASL_USER:-}" && -n "${KAFKA_SASL_PASSWORD:-}" ]]; }
ssl_enabled() { [[ -n "${KAFKA_SSL_KEYSTORE:-}" && -n "${KAFKA_SSL_KEY_PASSWORD:-}" ]]; }

# The port the probe (and inter-broker traffic) uses: the PLAINTEXT one.
probe_port() { if sasl_enabled || ssl_enabled; then echo "${KAFKA_INTERNAL_PORT:?KAFKA_INTERNAL_PORT is needed with SASL or TLS}"; else echo "$KAFKA_PORT"; fi; }

listener_config() {
  if ssl_enabled; then
    printf '%s\n' \
      "listeners=SSL://127.0.0.1:${KAFKA_PORT},PLAINTEXT://127.0.0.1:$(probe_port),CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}" \
      "advertised.listeners=SSL://127.0.0.1:${KAFKA_PORT},PLAINTEXT://127.0.0.1:$(probe_port)" \
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT" \
      "listener.name.ssl.ssl.keystore.type=PEM" \
      "listener.name.ssl.ssl.keystore.location=${KAFKA_SSL_KEYSTORE}" \
      "listener.name.ssl.ssl.key.password=${KAFKA_SSL_KEY_PASSWORD}" \
      "listener.name.ssl.ssl.client.auth=none"
  elif sasl_enabled; then
    printf '%s\n' \
      "listeners=SASL_PLAINTEXT://127.0.0.1:${KAFKA_PORT},PLAINTEXT://127.0.0.1:$(probe_port),CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}" \
      "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${KAFKA_PORT},PLAINTEXT://127.0.0.1:$(probe_port)" \
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT" \
      "sasl.enabled.mechanisms=SCRAM-SHA-512" \
      "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
  else
    printf '%s\n' \
      "listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}" \
      "advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}" \
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  fi
}

write_config() {
  mkdir -p "$DATA_DIR/data" "$LOG_DIR"
  cat > "$PROPS_FILE" <<EOF
# Generated by scripts/kafka.sh -- single-node KRaft (combined mode), dev/test only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
$(listener_config)
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${DATA_DIR}/data
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=24
log.segment.bytes=67108864
EOF
  cat > "$LOG4J_FILE" <<'EOF'
# Broker logging goes to files under ${kafka.logs.dir}, never to stdout.
log4j.rootLogger=INFO, kafkaAppender
log4j.appender.kafkaAppender=org.apache.log4j.RollingFileAppender
log4j.appender.kafkaAppender.File=${kafka.logs.dir}/server.log
log4j.appender.kafkaAppender.MaxFileSize=20MB
log4j.appender.kafkaAppender.MaxBackupIndex=2
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.kafkaAppender.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.log=WARN
EOF
}

random_cluster_id() { # 16 random bytes, base64url without padding (Kafka Uuid format)
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* ]] && { echo "$id"; return; }
  done
}

java_args() { # fills JAVA_ARGS with the JVM flags used for every Kafka main class
  # shellcheck disable=SC2206
  JAVA_ARGS=(-server $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent
    -Djava.awt.headless=true
    "-Dkafka.logs.dir=$LOG_DIR" "-Dlog4j.configuration=file:$LOG4J_FILE"
    -cp "$LIBS_DIR/*")
}

format_storage() {
  if [[ -f "$DATA_DIR/data/meta.properties" ]]; then
    return 0
  fi
  local id
  id="$(random_cluster_id)"
  log "formatting KRaft storage (cluster id $id)"
  java_args
  local scram=()
  if sasl_enabled; then scram=(--add-scram "SCRAM-SHA-512=[name=${KAFKA_SASL_USER},password=${KAFKA_SASL_PASSWORD}]"); fi
  if ! java "${JAVA_ARGS[@]}" kafka.tools.StorageTool format -t "$id" -c "$PROPS_FILE" "${scram[@]}" >"$LOG_DIR/format.log" 2>&1; then
    cat "$LOG_DIR/format.log" >&2
    die "kafka.tools.StorageTool format failed"
  fi
}

# Real readiness: metadata answers, a topic can be created (leader elected)
# and deleted, using the project's own kafkajs.
# Exit codes: 0 ready, 1 not ready yet, 3 kafkajs not installed.
probe() {
  local kjs="$REPO_DIR/node_modules/kafkajs"
  [[ -f "$kjs/package.json" ]] || return 3
  command -v node >/dev/null 2>&1 || return 3
  KAFKAJS_PATH="$kjs" KAFKA_BROKER="127.0.0.1:$(probe_port)" \
  timeout 30 node -e '
    const { Kafka, logLevel } = require(process.env.KAFKAJS_PATH);
    const kafka = new Kafka({ clientId: "lendguard-probe", brokers: [process.env.KAFKA_BROKER],
      logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 10000,
      retry: { retries: 2, initialRetryTime: 200 } });
    const admin = kafka.admin();
    const topic = "__lendguard_probe_" + process.pid + "_" + Date.now();
    (async () => {
      await admin.connect();
      const c = await admin.describeCluster();
      if (!c.brokers.length || c.controller == null) throw new Error("no brokers/controller yet");
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true, timeout: 10000 });
      await admin.deleteTopics({ topics: [topic], timeout: 10000 });
      await admin.disconnect();
    })().then(() => process.exit(0), (e) => {
      if (process.env.KAFKA_PROBE_VERBOSE) console.error("probe:", e && e.message);
      admin.disconnect().finally(() => process.exit(1));
    });
  ' >&2
}

wait_ready() { # deadline in seconds
  local deadline=$((SECONDS + $1)) rc
  local started=$SECONDS
  while (( SECONDS < deadline )); do
    if [[ -f "$PID_FILE" ]] && ! pid_alive; then
      printf '\n' >&2
      log_tail
      die "broker process exited during startup (see $LOG_DIR)"
    fi
    if port_open "$KAFKA_PORT"; then
      rc=0; probe || rc=$?
      if (( rc == 0 )); then
        printf '\n' >&2
        log "ready on 127.0.0.1:$KAFKA_PORT after $((SECONDS - started))s"
        return 0
      elif (( rc == 3 )); then
        printf '\n' >&2
        log "WARNING: node_modules/kafkajs not installed; only the TCP port was checked"
        return 0
      fi
    fi
    printf '.' >&2
    sleep 1
  done
  printf '\n' >&2
  log_tail
  die "broker not ready on 127.0.0.1:$KAFKA_PORT within ${1}s"
}

cmd_start() {
  # Something already answers: make sure it really is a usable broker (this
  # also covers a concurrent `start` that is still coming up).
  if port_open "$KAFKA_PORT"; then
    local rc=0
    probe || rc=$?
    if (( rc == 0 || rc == 3 )); then
      log "already running on 127.0.0.1:$KAFKA_PORT"
      return 0
    fi
    log "port $KAFKA_PORT answers but the broker is not ready yet; waiting"
    wait_ready "$KAFKA_START_TIMEOUT"
    return 0
  fi
  command -v java >/dev/null 2>&1 || die "java not found (apt-get install -y default-jdk-headless)"
  cmd_fetch
  mkdir -p "$DATA_DIR"
  if pid_alive; then
    log "process $(cat "$PID_FILE") from $PID_FILE is alive but port $KAFKA_PORT is closed; waiting for it"
    wait_ready "$KAFKA_START_TIMEOUT"
    return 0
  fi
  rm -f "$PID_FILE"
  write_config
  format_storage
  log "starting Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT, data in $DATA_DIR"
  : > "$STDOUT_LOG"
  java_args
  nohup java "${JAVA_ARGS[@]}" kafka.Kafka "$PROPS_FILE" >>"$STDOUT_LOG" 2>&1 </dev/null &
  echo $! > "$PID_FILE"
  log "pid $(cat "$PID_FILE"); waiting up to ${KAFKA_START_TIMEOUT}s for readiness"
  wait_ready "$KAFKA_START_TIMEOUT"
}

cmd_stop() {
  if ! pid_alive; then
    rm -f "$PID_FILE"
    if port_open "$KAFKA_PORT"; then
      log "no pid file but port $KAFKA_PORT answers: broker not started by this script, leaving it alone"
    else
      log "not running"
    fi
    return 0
  fi
  local pid i
  pid="$(cat "$PID_FILE")"
  log "stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after 30s, SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  if pid_alive && port_open "$KAFKA_PORT"; then
    echo "kafka: running (pid $(cat "$PID_FILE"), 127.0.0.1:$KAFKA_PORT, version $KAFKA_VERSION)"
  elif port_open "$KAFKA_PORT"; then
    echo "kafka: running (127.0.0.1:$KAFKA_PORT, not started by this script)"
  elif pid_alive; then
    echo "kafka: starting (pid $(cat "$PID_FILE"), port $KAFKA_PORT not open yet)"
  else
    echo "kafka: not running"
    return 1
  fi
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 2 ;;
esac
