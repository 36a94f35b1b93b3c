-- The foobar database and its accounts, run once on the primary's first start (docker/mariadb/primary-init.sh
-- substitutes the @..._PASSWORD@ placeholders from the Compose secrets). Binlogged, so the replica, which
-- replays the primary's whole binlog, gets the same database and accounts. Each account has only the rights
-- its tier needs (the same as scripts/mariadb-pair gives the local stack). '%': containers change addresses.
CREATE DATABASE IF NOT EXISTS foobar CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE USER IF NOT EXISTS 'foobar_repl'@'%' IDENTIFIED BY '@REPL_PASSWORD@';
GRANT REPLICATION SLAVE ON *.* TO 'foobar_repl'@'%';

-- The app: its schema (migrations) and data, plus SHOW SLAVE STATUS for read routing.
CREATE USER IF NOT EXISTS 'foobar_app'@'%' IDENTIFIED BY '@APP_PASSWORD@';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES ON foobar.* TO 'foobar_app'@'%';
GRANT SLAVE MONITOR ON *.* TO 'foobar_app'@'%';

-- The monitor's probes.
CREATE USER IF NOT EXISTS 'foobar_monitor'@'%' IDENTIFIED BY '@MONITOR_PASSWORD@';
GRANT SLAVE MONITOR, BINLOG MONITOR ON *.* TO 'foobar_monitor'@'%';
GRANT SELECT ON foobar.* TO 'foobar_monitor'@'%';

-- The monitor's failover manager: fence, promote, re-point replication.
CREATE USER IF NOT EXISTS 'foobar_failover'@'%' IDENTIFIED BY '@FAILOVER_PASSWORD@';
GRANT RELOAD, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, READ_ONLY ADMIN, SLAVE MONITOR, BINLOG MONITOR
  ON *.* TO 'foobar_failover'@'%';

-- Promotions, one row each, written by the failover manager on the node it makes the writer (before it takes
-- writes): the evidence every election starts from (com.foobar.platform.common.db.WriterEpochs, the same text).
CREATE DATABASE IF NOT EXISTS foobar_ha;
CREATE TABLE IF NOT EXISTS foobar_ha.writer_epoch (
  epoch BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  server_id INT UNSIGNED NOT NULL,
  node VARCHAR(255) NOT NULL,
  base_position VARCHAR(4096) NOT NULL,
  promoted_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;
GRANT SELECT, INSERT ON foobar_ha.* TO 'foobar_failover'@'%';
GRANT SELECT ON foobar_ha.* TO 'foobar_app'@'%';
GRANT SELECT ON foobar_ha.* TO 'foobar_monitor'@'%';
