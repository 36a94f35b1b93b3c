#!/bin/sh
# Creates docker/secrets/*.txt (random hex passwords, mode 600) for compose.yaml, keeping existing ones.
set -eu
dir="$(dirname "$0")/secrets"
mkdir -p "$dir"
for name in db_root app_db repl_db monitor_db failover_db; do
  [ -s "$dir/$name.txt" ] || { umask 077; od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$dir/$name.txt"; }
done
echo "secrets in $dir"
