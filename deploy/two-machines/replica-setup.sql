-- Run once on m2 (10.0.0.12) as MariaDB's root, the replica's password substituted:
--   sed "s/@REPL_PASSWORD@/$(cat /etc/foobar/repl.password)/" deploy/two-machines/replica-setup.sql | mariadb
-- GTID replication from the very start of the primary's binlog: the database and the accounts of
-- docker/mariadb/users.sql arrive by replication.
SET GLOBAL gtid_slave_pos = '';
CHANGE MASTER TO MASTER_HOST='10.0.0.11', MASTER_PORT=3306, MASTER_USER='foobar_repl',
  MASTER_PASSWORD='@REPL_PASSWORD@', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
START SLAVE;
