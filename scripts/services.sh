#!/usr/bin/env bash
# Brings up/down everything the integration tests and the demo need:
# Redis and a 3-master Redis Cluster (scripts/redis.sh), PostgreSQL for the analyst console (scripts/postgres.sh) and a
# single-node Kafka (scripts/kafka.sh).
# Usage: scripts/services.sh up|down|status   (`up` is idempotent and fast when already running)
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
  up)
    bash "$SCRIPT_DIR/redis.sh" start
    bash "$SCRIPT_DIR/redis.sh" cluster start
    bash "$SCRIPT_DIR/postgres.sh" start
    bash "$SCRIPT_DIR/kafka.sh" start
    ;;
  down)
    rc=0
    bash "$SCRIPT_DIR/kafka.sh" stop || rc=$?
    bash "$SCRIPT_DIR/postgres.sh" stop || rc=$?
    bash "$SCRIPT_DIR/redis.sh" stop || rc=$?
    bash "$SCRIPT_DIR/redis.sh" cluster stop || rc=$?
    exit "$rc"
    ;;
  status)
    rc=0
    bash "$SCRIPT_DIR/redis.sh" status || rc=$?
    bash "$SCRIPT_DIR/redis.sh" cluster status || rc=$?
    bash "$SCRIPT_DIR/postgres.sh" status || rc=$?
    bash "$SCRIPT_DIR/kafka.sh" status || rc=$?
    exit "$rc"
    ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
