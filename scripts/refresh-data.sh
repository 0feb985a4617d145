#!/usr/bin/env bash
# Refresh the enrichment data (geo, ASN, IP lists): a thin wrapper over `lendguard data refresh`, which checks
# every file before replacing anything, drops the ASN and IP-list caches and ends with `data status`
# (docs/enrichment.md, "Dataset dates and refresh"). Every argument is passed on; examples:
#   scripts/refresh-data.sh --from-npm --dry-run          # what `npm install …@latest --save-exact` would do
#   scripts/refresh-data.sh --list datacenter-ipv4=~/x4b/output/datacenter/ipv4.txt --built-at 2026-11-30
#   scripts/refresh-data.sh -c my.yaml --asn-file ~/asn/asn-ipv4-num.csv   # needs enrichment.asn.dir
# The working directory is kept, so relative file names mean what they say.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -f "$root/node_modules/tsx/dist/loader.mjs" ]]; then
  exec node --import "file://$root/node_modules/tsx/dist/loader.mjs" "$root/src/cli/index.ts" data refresh "$@"
fi
exec node "$root/dist/cli/index.js" data refresh "$@"
