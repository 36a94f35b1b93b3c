package com.foobar.platform.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Read/write splitting over one primary and any number of replicas, each node with its own pool.
 *
 * <p>Writes and transactions run on the primary. Plain reads go round robin to the replicas; when a replica
 * cannot be reached the read is retried once on the primary, so a dead replica costs no failed request.
 */
final class Database {

  private final DatabaseNode primary;
  private final List<DatabaseNode> replicas;
  private final AtomicInteger nextReplica = new AtomicInteger();
  private final Counter readFallbacks;

  Database(Vertx vertx, AppOptions options, String password, MeterRegistry registry) {
    this.primary = new DatabaseNode(vertx, "primary", withPassword(options.getPrimary(), password),
      options, registry);
    this.replicas = new ArrayList<>();
    for (int i = 0; i < options.getReplicas().size(); i++) {
      replicas.add(new DatabaseNode(vertx, "replica-" + (i + 1), withPassword(options.getReplicas().get(i), password),
        options, registry));
    }
    this.readFallbacks = Counter.builder("foobar_app_read_fallbacks")
      .description("Reads sent to the primary because a replica could not serve them").register(registry);
  }

  private static MySQLConnectOptions withPassword(MySQLConnectOptions node, String password) {
    MySQLConnectOptions copy = new MySQLConnectOptions(node);
    if ((copy.getPassword() == null || copy.getPassword().isEmpty()) && password != null) {
      copy.setPassword(password);
    }
    return copy;
  }

  /** Runs a write on the primary, on one connection (so LAST_INSERT_ID and @@last_gtid stay meaningful). */
  <T> Future<T> write(Function<SqlConnection, Future<T>> work) {
    return primary.withConnection(work);
  }

  /** Runs work in a transaction on the primary: every statement of it, reads included. */
  <T> Future<T> transaction(Function<SqlConnection, Future<T>> work) {
    return primary.withTransaction(work);
  }

  /** Runs a plain read on a replica, or on the primary when there is none or the chosen one is unreachable. */
  <T> Future<T> read(Function<SqlConnection, Future<T>> work) {
    if (replicas.isEmpty()) {
      return primary.withConnection(work);
    }
    DatabaseNode replica = replicas.get(Math.floorMod(nextReplica.getAndIncrement(), replicas.size()));
    return replica.withConnection(work).recover(failure -> {
      if (!DatabaseFailures.isUnavailable(failure)) {
        return Future.failedFuture(failure);
      }
      readFallbacks.increment();
      return primary.withConnection(work);
    });
  }

  DatabaseNode primary() {
    return primary;
  }

  List<DatabaseNode> replicas() {
    return replicas;
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(primary.close());
    replicas.forEach(replica -> closing.add(replica.close()));
    return Future.join(closing).mapEmpty();
  }
}
