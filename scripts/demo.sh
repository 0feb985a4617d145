#!/usr/bin/env bash
# The main job on a fresh machine: start Kafka, Redis and PostgreSQL if needed, then run the processor and
# the analyst console, feed the built-in sample, print the assessments as they arrive, then the console's URL
# and development logins; runs until Ctrl-C (`--exit`: stop after the sample). See README.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/services.sh up
exec node --import tsx src/cli/index.ts demo "$@"
