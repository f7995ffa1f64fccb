#!/usr/bin/env bash
# The main job on SQLite: set up, build, migrate the sample shop's migrations/
# into a fresh SQLite database, and show its status.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
rm -rf .demo && mkdir -p .demo
bin=build/borch-db
echo
echo "\$ borch-db migrate up"
$bin -c scripts/demo.yaml migrate up
echo
echo "\$ borch-db status"
$bin -c scripts/demo.yaml status
echo
echo "(database: .demo/shop.db, schema record: .demo/models.json, audit trail: .demo/audit.jsonl)"
