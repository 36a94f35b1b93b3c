package com.foobar.platform.app.db;

import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.sqlclient.PoolOptions;

import java.util.List;

/** What the database routing is configured with: the app's options (keys declared in {@code AppOptions}). */
public interface DatabaseSettings {

  /** The node taken as the writer until the first check says otherwise. */
  MySQLConnectOptions primary();

  /** The configured read nodes. */
  List<MySQLConnectOptions> replicas();

  /** Applied to each node's own pool. */
  PoolOptions pool();

  /** TCP settings of every database connection. */
  NetClientOptions databaseClient();

  /** A replica further behind serves no plain reads. */
  int maxReplicationLagSeconds();

  /** How long a read with a consistency token waits for a replica before it runs on the writer. */
  int consistencyWaitMs();

  /** How long a write the writer refused without running it waits for a new writer. */
  int writerWaitMs();
}
