#!/bin/bash
# /docker-entrypoint-initdb.d/10-foobar.sh on the replica (sourced on its first start): replicate from the
# primary with GTIDs from the very beginning of its binlog, so the database and accounts arrive by replication.
# The replica is read_only (server option); the monitor's failover manager may promote it later.
set -euo pipefail
repl="$(tr -d '\r\n' < /run/secrets/repl_db)"
docker_process_sql <<SQL
SET GLOBAL gtid_slave_pos = '';
CHANGE MASTER TO MASTER_HOST='db-primary', MASTER_PORT=3306, MASTER_USER='foobar_repl',
  MASTER_PASSWORD='${repl}', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
START SLAVE;
SQL
