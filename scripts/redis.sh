#!/usr/bin/env bash
# Local Redis for dev, tests and CI.
# Usage: scripts/redis.sh start|stop|status
#        scripts/redis.sh cluster start|stop|status
#   REDIS_PORT         (default 6379)
#   REDIS_CLUSTER_PORTS  the cluster's three masters (default "17001 17002 17003")
#   LENDGUARD_RUN_DIR  runtime dir (default <repo>/.run); data/pid/log in $LENDGUARD_RUN_DIR/redis
# `start` reuses any Redis already answering PING on 127.0.0.1:$REDIS_PORT (e.g. a
# system service); otherwise it installs redis-server if missing (apt) and starts
# a daemonized instance bound to 127.0.0.1.
# `cluster start` reuses a cluster already answering cluster_state:ok on those ports; otherwise it
# starts three masters (cluster-enabled, loopback only, no replicas, no persistence) and joins them
# with `redis-cli --cluster create`. `cluster stop` stops only the masters it started.
set -euo pipefail

REDIS_PORT="${REDIS_PORT:-6379}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
RUN_ROOT="${LENDGUARD_RUN_DIR:-$REPO_DIR/.run}"
DATA_DIR="$RUN_ROOT/redis"
PID_FILE="$DATA_DIR/redis.pid"
LOG_FILE="$DATA_DIR/redis.log"

log() { printf '[redis] %s\n' "$*" >&2; }
die() { printf '[redis] ERROR: %s\n' "$*" >&2; exit 1; }

ping_ok() {
  command -v redis-cli >/dev/null 2>&1 || return 1
  [[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" == "PONG" ]]
}

pid_alive() {
  [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE" 2>/dev/null)" 2>/dev/null
}

ensure_installed() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || die "redis-server not installed and apt-get unavailable"
  log "installing redis-server via apt-get"
  export DEBIAN_FRONTEND=noninteractive
  local SUDO=""
  [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  if ! $SUDO apt-get install -y -q redis-server >&2; then
    log "apt-get install failed; running apt-get update first"
    $SUDO apt-get update -q >&2
    $SUDO apt-get install -y -q redis-server >&2
  fi
  command -v redis-server >/dev/null 2>&1 || die "redis-server still missing after apt-get install"
}

# SIGTERM, up to 10 s to exit, then SIGKILL.
stop_pid() {
  local i
  kill -TERM "$1" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$1" 2>/dev/null || true
}

cmd_start() {
  if ping_ok; then
    log "already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  ensure_installed
  # The Debian package may have started its own service on 6379 during install.
  if ping_ok; then
    log "running on 127.0.0.1:$REDIS_PORT (system service)"
    return 0
  fi
  mkdir -p "$DATA_DIR"
  log "starting redis-server on 127.0.0.1:$REDIS_PORT (data in $DATA_DIR)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$PID_FILE" --logfile "$LOG_FILE" --dir "$DATA_DIR" \
    --save "" --appendonly yes --appendfsync everysec --protected-mode yes >&2 \
    || die "redis-server failed to start (see $LOG_FILE)"
  local i
  for ((i = 0; i < 100; i++)); do
    if ping_ok; then
      log "ready on 127.0.0.1:$REDIS_PORT"
      return 0
    fi
    sleep 0.2
  done
  [[ -f "$LOG_FILE" ]] && tail -n 30 "$LOG_FILE" >&2
  die "redis not answering PING on 127.0.0.1:$REDIS_PORT after 20s"
}

cmd_stop() {
  if ! pid_alive; then
    rm -f "$PID_FILE"
    if ping_ok; then
      log "running on 127.0.0.1:$REDIS_PORT but not started by this script; leaving it alone"
    else
      log "not running"
    fi
    return 0
  fi
  local pid
  pid="$(cat "$PID_FILE")"
  log "stopping pid $pid"
  stop_pid "$pid"
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  if ping_ok; then
    if pid_alive; then
      echo "redis: running (pid $(cat "$PID_FILE"), 127.0.0.1:$REDIS_PORT)"
    else
      echo "redis: running (127.0.0.1:$REDIS_PORT, not started by this script)"
    fi
  else
    echo "redis: not running"
    return 1
  fi
}

# ---- a 3-master Redis Cluster on loopback (tests of the sharded state store) ----
read -r -a CLUSTER_PORTS <<<"${REDIS_CLUSTER_PORTS:-17001 17002 17003}"
CLUSTER_DIR="$RUN_ROOT/redis-cluster"

cluster_ok() {
  command -v redis-cli >/dev/null 2>&1 || return 1
  local p
  for p in "${CLUSTER_PORTS[@]}"; do
    timeout 5 redis-cli -h 127.0.0.1 -p "$p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
  done
}

cluster_start() {
  if cluster_ok; then
    log "cluster already running on 127.0.0.1:${CLUSTER_PORTS[*]}"
    return 0
  fi
  ensure_installed
  local p i nodes=()
  for p in "${CLUSTER_PORTS[@]}"; do
    if [[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$p" ping 2>/dev/null || true)" == "PONG" && ! -f "$CLUSTER_DIR/$p/redis.pid" ]]; then
      die "127.0.0.1:$p answers but is not a healthy cluster node started by this script; set REDIS_CLUSTER_PORTS"
    fi
  done
  cluster_stop quiet
  for p in "${CLUSTER_PORTS[@]}"; do
    rm -rf "${CLUSTER_DIR:?}/$p" && mkdir -p "$CLUSTER_DIR/$p"
    redis-server --bind 127.0.0.1 --port "$p" --daemonize yes --cluster-enabled yes \
      --cluster-config-file "$CLUSTER_DIR/$p/nodes.conf" --cluster-node-timeout 5000 \
      --pidfile "$CLUSTER_DIR/$p/redis.pid" --logfile "$CLUSTER_DIR/$p/redis.log" --dir "$CLUSTER_DIR/$p" \
      --save "" --appendonly no --protected-mode yes >&2 || die "redis-server on port $p failed to start"
    nodes+=("127.0.0.1:$p")
  done
  for p in "${CLUSTER_PORTS[@]}"; do
    for ((i = 0; i < 100; i++)); do
      [[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$p" ping 2>/dev/null || true)" == "PONG" ]] && break
      sleep 0.1
    done
  done
  log "joining ${nodes[*]} into a cluster (3 masters, no replicas)"
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >&2 || die "redis-cli --cluster create failed"
  for ((i = 0; i < 150; i++)); do
    if cluster_ok; then
      log "cluster ready on 127.0.0.1:${CLUSTER_PORTS[*]}"
      return 0
    fi
    sleep 0.2
  done
  die "cluster not ok after 30s (logs in $CLUSTER_DIR/<port>/redis.log)"
}

cluster_stop() {
  local p pid
  for p in "${CLUSTER_PORTS[@]}"; do
    [[ -f "$CLUSTER_DIR/$p/redis.pid" ]] || continue
    pid="$(cat "$CLUSTER_DIR/$p/redis.pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      [[ "${1:-}" == quiet ]] || log "stopping cluster node $p (pid $pid)"
      stop_pid "$pid"
    fi
    rm -f "$CLUSTER_DIR/$p/redis.pid"
  done
}

cluster_status() {
  if cluster_ok; then
    echo "redis cluster: running (127.0.0.1:${CLUSTER_PORTS[*]})"
  else
    echo "redis cluster: not running"
    return 1
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  cluster)
    case "${2:-}" in
      start) cluster_start ;;
      stop) cluster_stop ;;
      status) cluster_status ;;
      *) echo "usage: $0 cluster start|stop|status" >&2; exit 2 ;;
    esac
    ;;
  *) echo "usage: $0 start|stop|status | cluster start|stop|status" >&2; exit 2 ;;
esac
