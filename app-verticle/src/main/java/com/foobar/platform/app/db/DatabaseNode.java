package com.foobar.platform.app.db;

import com.foobar.platform.common.db.DatabaseNodeOptions;
import com.foobar.platform.common.db.NodeStatus;
import com.foobar.platform.common.db.NodeStatusReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One database node with its own named pool: the name ({@code primary}, {@code replica-1}, ...) is the pool's
 * metrics label; plain reads go through a pipelined client of their own ({@code <name>-reads}), whose connections
 * carry several requests' statements at once (the pool lends a connection to one piece of work at a time). Counts the queries it runs so that where reads and writes go can be seen and tested, and
 * keeps the {@link NodeState} its last check saw.
 */
final class DatabaseNode {

  private final String name;
  private final String address;
  private final Pool pool;
  private final SqlClient reads;
  private final Counter queries;
  private final Counter failures;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private volatile NodeStatus status = NodeStatus.unreachable("not checked yet");
  private volatile NodeState state = NodeState.UNKNOWN;

  DatabaseNode(Vertx vertx, String name, MySQLConnectOptions connect, DatabaseSettings settings,
               MeterRegistry registry) {
    this.name = name;
    this.address = DatabaseNodeOptions.address(connect);
    this.pool = MySQLBuilder.pool()
      .with(settings.pool().setName(name))
      .with(settings.databaseClient())
      .connectingTo(connect)
      .using(vertx)
      .build();
    this.reads = MySQLBuilder.client()
      .with(new PoolOptions(settings.pool()).setName(name + "-reads"))
      .with(settings.databaseClient())
      .connectingTo(connect)
      .using(vertx)
      .build();
    this.registry = registry;
    this.queries = Counter.builder("foobar_app_db_queries").description("Database operations run, by node")
      .tag("node", name).register(registry);
    this.failures = Counter.builder("foobar_app_db_failures").description("Database operations failed, by node")
      .tag("node", name).register(registry);
    meters.add(queries);
    meters.add(failures);
    meters.add(Gauge.builder("foobar_app_db_node_writable", this, node -> node.state.writable() ? 1 : 0)
      .description("1 when the node's last check found it writable (read_only=0)").tag("node", name)
      .register(registry));
    meters.add(Gauge.builder("foobar_app_db_replication_lag_seconds", this,
        node -> node.state.lagSeconds() == null ? Double.NaN : node.state.lagSeconds())
      .description("Seconds_Behind_Master at the last check; NaN when replication is broken or not configured")
      .tag("node", name).register(registry));
  }

  String name() {
    return name;
  }

  String address() {
    return address;
  }

  NodeState state() {
    return state;
  }

  /** Runs the work on one connection of this node's pool. */
  <T> Future<T> withConnection(Function<SqlConnection, Future<T>> work) {
    queries.increment();
    return pool.withConnection(work).onFailure(failure -> failures.increment());
  }

  /** Runs a read that needs no session of its own (no transaction, no session state) on the pipelined client. */
  <T> Future<T> read(Function<SqlClient, Future<T>> work) {
    queries.increment();
    return work.apply(reads).onFailure(failure -> failures.increment());
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

  /**
   * Asks the node what it is ({@link NodeStatusReader}: {@code read_only}, GTID history, {@code SHOW SLAVE STATUS},
   * promotions). Never fails: an unreachable node is a status too. The routing state follows once the
   * database has judged the status ({@link #judged}).
   */
  Future<NodeStatus> check() {
    return NodeStatusReader.check(pool).onSuccess(checked -> status = checked);
  }

  /** The last status read, for the election. */
  NodeStatus status() {
    return status;
  }

  /** The routing state from the last status, with the election's verdict ({@code errant} GTIDs, or null). */
  void judged(String errant) {
    state = NodeState.of(status, errant);
  }

  /** Closes the pool and takes the node's series out of the registry (a node can leave at runtime). */
  Future<Void> close() {
    meters.forEach(registry::remove);
    return Future.join(pool.close(), reads.close()).mapEmpty();
  }
}
