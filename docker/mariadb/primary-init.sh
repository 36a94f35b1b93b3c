#!/bin/bash
# /docker-entrypoint-initdb.d/10-foobar.sh on the primary (sourced by the MariaDB image's entrypoint on the
# first start, with the server up and docker_process_sql defined): creates the database and the accounts.
set -euo pipefail
secret() { tr -d '\r\n' < "/run/secrets/$1"; }
# Passwords are generated hex strings (docker/make-secrets.sh): no quote can break out of the SQL string.
sed -e "s/@REPL_PASSWORD@/$(secret repl_db)/" -e "s/@APP_PASSWORD@/$(secret app_db)/" \
    -e "s/@MONITOR_PASSWORD@/$(secret monitor_db)/" -e "s/@FAILOVER_PASSWORD@/$(secret failover_db)/" \
    /etc/foobar/users.sql | docker_process_sql
