package com.foobar.platform.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

import java.util.function.Function;

/**
 * One database node with its own named pool: the name ({@code primary}, {@code replica-1}, ...) is the pool's
 * metrics label. Counts the queries it runs so that where reads and writes go can be seen and tested.
 */
final class DatabaseNode {

  private final String name;
  private final String address;
  private final Pool pool;
  private final Counter queries;
  private final Counter failures;

  DatabaseNode(Vertx vertx, String name, MySQLConnectOptions connect, AppOptions options, MeterRegistry registry) {
    this.name = name;
    this.address = connect.getHost() + ":" + connect.getPort();
    this.pool = MySQLBuilder.pool()
      .with(new PoolOptions(options.getPool()).setName(name))
      .with(options.getDatabaseClient())
      .connectingTo(connect)
      .using(vertx)
      .build();
    this.queries = Counter.builder("foobar_app_db_queries").description("Database operations run, by node")
      .tag("node", name).register(registry);
    this.failures = Counter.builder("foobar_app_db_failures").description("Database operations failed, by node")
      .tag("node", name).register(registry);
  }

  String name() {
    return name;
  }

  String address() {
    return address;
  }

  Pool pool() {
    return pool;
  }

  /** Runs the work on one connection of this node's pool. */
  <T> Future<T> withConnection(Function<SqlConnection, Future<T>> work) {
    queries.increment();
    return pool.withConnection(work).onFailure(failure -> failures.increment());
  }

  /** Runs the work in a transaction on this node. */
  <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> work) {
    queries.increment();
    return pool.withTransaction(work).onFailure(failure -> failures.increment());
  }

  /** A round trip to the node, for health checks. */
  Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  Future<Void> close() {
    return pool.close();
  }
}
