package com.foobar.platform.common.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The {@code foobar_ha.writer_epoch} table: one row per promotion (see {@link WriterEpoch}). Created on the first
 * writer with the database's accounts ({@code scripts/mariadb-pair}, {@code docker/mariadb/users.sql}); written
 * by the failover account, which has INSERT on {@code foobar_ha} and READ_ONLY ADMIN, so the row can go in while
 * the new writer is still read-only.
 */
public final class WriterEpochs {

  public static final String SCHEMA = "foobar_ha";
  public static final String CREATE = "CREATE DATABASE IF NOT EXISTS foobar_ha;\n"
    + "CREATE TABLE IF NOT EXISTS foobar_ha.writer_epoch (\n"
    + "  epoch BIGINT UNSIGNED NOT NULL PRIMARY KEY,\n"
    + "  server_id INT UNSIGNED NOT NULL,\n"
    + "  node VARCHAR(255) NOT NULL,\n"
    + "  base_position VARCHAR(4096) NOT NULL,\n"
    + "  promoted_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)\n"
    + ") ENGINE=InnoDB;";
  static final String SELECT_LATEST = "SELECT epoch, server_id, node, base_position FROM foobar_ha.writer_epoch"
    + " ORDER BY epoch DESC LIMIT ";
  /** The primary key makes two promotions to the same epoch impossible: the second one fails. */
  static final String INSERT = "INSERT INTO foobar_ha.writer_epoch (epoch, server_id, node, base_position)"
    + " VALUES (?, @@server_id, ?, ?)";

  private WriterEpochs() {
  }

  /** Records the promotion of the node on {@code connection} to {@code epoch}, from {@code base}. */
  static Future<Void> record(SqlConnection connection, long epoch, String node, GtidState base) {
    return connection.preparedQuery(INSERT).execute(Tuple.of(epoch, node, base.toString())).mapEmpty();
  }
}
