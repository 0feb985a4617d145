#!/usr/bin/env bash
# The main job on a fresh machine: start Kafka and Redis if needed, then run the processor, feed it
# the built-in sample and print the assessments as they arrive (see README).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/services.sh up
exec node --import tsx src/cli/index.ts demo "$@"
