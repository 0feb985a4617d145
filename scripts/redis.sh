#!/usr/bin/env bash
# Local Redis for dev, tests and CI.
# Usage: scripts/redis.sh start|stop|status
#   REDIS_PORT         (default 6379)
#   LENDGUARD_RUN_DIR  runtime dir (default <repo>/.run); data/pid/log in $LENDGUARD_RUN_DIR/redis
# `start` reuses any Redis already answering PING on 127.0.0.1:$REDIS_PORT (e.g. a
# system service); otherwise it installs redis-server if missing (apt) and starts
# a daemonized instance bound to 127.0.0.1.
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
  local pid i
  pid="$(cat "$PID_FILE")"
  log "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
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

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
