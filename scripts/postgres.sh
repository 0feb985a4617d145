#!/usr/bin/env bash
# Local PostgreSQL for the analyst console's dev, tests and CI.
# Usage: scripts/postgres.sh start|stop|status
#   POSTGRES_PORT      (default 5432)
#   LENDGUARD_RUN_DIR  runtime dir (default <repo>/.run); data/socket/log in $LENDGUARD_RUN_DIR/postgres
# `start` uses any PostgreSQL already answering on 127.0.0.1:$POSTGRES_PORT (e.g. the system
# service); otherwise it installs Debian's postgresql package if missing and starts a cluster of
# its own (trust auth, loopback only, superuser `postgres`) under $LENDGUARD_RUN_DIR/postgres.
# `stop` stops only a cluster this script started. Nothing here drops a database or a schema.
set -euo pipefail

POSTGRES_PORT="${POSTGRES_PORT:-5432}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
RUN_ROOT="${LENDGUARD_RUN_DIR:-$REPO_DIR/.run}"
PG_ROOT="$RUN_ROOT/postgres"
DATA_DIR="$PG_ROOT/data"
SOCKET_DIR="$PG_ROOT/socket"
LOG_FILE="$PG_ROOT/postgres.log"

log() { printf '[postgres] %s\n' "$*" >&2; }
die() { printf '[postgres] ERROR: %s\n' "$*" >&2; exit 1; }

bin_dir() { # the newest installed server's bin directory (Debian: /usr/lib/postgresql/<major>/bin)
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$d" && -x "$d/pg_ctl" ]] && echo "$d"
}

ready() { # something answers the PostgreSQL protocol on 127.0.0.1:$POSTGRES_PORT
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p "$POSTGRES_PORT" -t 3 >/dev/null 2>&1
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$POSTGRES_PORT") 2>/dev/null
  fi
}

# Runs a server binary as the cluster's owner: initdb and postgres refuse to run as root.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ours_running() { # our own cluster is up (its postmaster.pid names a live process)
  [[ -f "$DATA_DIR/postmaster.pid" ]] || return 1
  local pid
  pid="$(head -n 1 "$DATA_DIR/postmaster.pid" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

ensure_installed() {
  if [[ -n "$(bin_dir)" ]]; then return 0; fi
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is unavailable"
  log "installing postgresql via apt-get"
  export DEBIAN_FRONTEND=noninteractive
  local SUDO=""
  [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  if ! $SUDO apt-get install -y -q postgresql >&2; then
    log "apt-get install failed; running apt-get update first"
    $SUDO apt-get update -q >&2
    $SUDO apt-get install -y -q postgresql >&2
  fi
  [[ -n "$(bin_dir)" ]] || die "pg_ctl still missing after apt-get install postgresql"
}

init_cluster() {
  [[ -f "$DATA_DIR/PG_VERSION" ]] && return 0
  local bin
  bin="$(bin_dir)"
  log "creating a cluster in $DATA_DIR"
  mkdir -p "$DATA_DIR" "$SOCKET_DIR"
  [[ "$(id -u)" -eq 0 ]] && chown -R postgres:postgres "$PG_ROOT"
  chmod 700 "$DATA_DIR"
  as_owner "$bin/initdb" -D "$DATA_DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2 \
    || die "initdb failed (the data dir's parents must be traversable by the postgres user)"
}

cmd_start() {
  if ready; then
    log "already running on 127.0.0.1:$POSTGRES_PORT"
    return 0
  fi
  ensure_installed
  # The Debian package may have started its own cluster during install.
  if ready; then
    log "running on 127.0.0.1:$POSTGRES_PORT (system service)"
    return 0
  fi
  init_cluster
  mkdir -p "$SOCKET_DIR"
  [[ "$(id -u)" -eq 0 ]] && chown postgres:postgres "$SOCKET_DIR" "$PG_ROOT" && touch "$LOG_FILE" && chown postgres:postgres "$LOG_FILE"
  log "starting PostgreSQL on 127.0.0.1:$POSTGRES_PORT (data in $DATA_DIR)"
  as_owner "$(bin_dir)/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $POSTGRES_PORT -k $SOCKET_DIR -c fsync=on" start >&2 \
    || { [[ -f "$LOG_FILE" ]] && tail -n 30 "$LOG_FILE" >&2; die "PostgreSQL failed to start (see $LOG_FILE)"; }
  local i
  for ((i = 0; i < 100; i++)); do
    if ready; then
      log "ready on 127.0.0.1:$POSTGRES_PORT"
      return 0
    fi
    sleep 0.2
  done
  die "PostgreSQL not answering on 127.0.0.1:$POSTGRES_PORT after 20s (see $LOG_FILE)"
}

cmd_stop() {
  if ! ours_running; then
    if ready; then
      log "running on 127.0.0.1:$POSTGRES_PORT but not started by this script; leaving it alone"
    else
      log "not running"
    fi
    return 0
  fi
  log "stopping the cluster in $DATA_DIR"
  as_owner "$(bin_dir)/pg_ctl" -D "$DATA_DIR" -m fast -w -t 60 stop >&2 || die "pg_ctl stop failed"
  log "stopped"
}

cmd_status() {
  if ready; then
    if ours_running; then
      echo "postgres: running (pid $(head -n 1 "$DATA_DIR/postmaster.pid"), 127.0.0.1:$POSTGRES_PORT, data in $DATA_DIR)"
    else
      echo "postgres: running (127.0.0.1:$POSTGRES_PORT, not started by this script)"
    fi
  else
    echo "postgres: not running"
    return 1
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
