package com.foobar.platform.app;

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
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One database node with its own named pool: the name ({@code primary}, {@code replica-1}, ...) is the pool's
 * metrics label. Counts the queries it runs so that where reads and writes go can be seen and tested, and
 * keeps the {@link NodeState} its last check saw.
 */
final class DatabaseNode {

  private final String name;
  private final String address;
  private final Pool pool;
  private final Counter queries;
  private final Counter failures;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private volatile NodeState state = NodeState.UNKNOWN;

  DatabaseNode(Vertx vertx, String name, MySQLConnectOptions connect, AppOptions options, MeterRegistry registry) {
    this.name = name;
    this.address = connect.getHost() + ":" + connect.getPort();
    this.pool = MySQLBuilder.pool()
      .with(new PoolOptions(options.getPool()).setName(name))
      .with(options.getDatabaseClient())
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
   * Asks the node what it is: {@code @@read_only}, and {@code SHOW SLAVE STATUS} (empty on a node that
   * replicates from nobody). Never fails: an unreachable node is a state too.
   */
  Future<NodeState> check() {
    return pool.withConnection(connection -> connection.query("SELECT @@read_only").execute()
        .compose(readOnly -> connection.query("SHOW SLAVE STATUS").execute()
          .map(status -> stateOf(readOnly.iterator().next().getInteger(0) == 0,
            status.size() == 0 ? null : status.iterator().next()))))
      .otherwise(failure -> NodeState.unreachable(String.valueOf(failure.getMessage())))
      .onSuccess(checked -> state = checked);
  }

  private static NodeState stateOf(boolean writable, Row slaveStatus) {
    if (slaveStatus == null) {
      return new NodeState(true, writable, false, null, null);
    }
    boolean running = "Yes".equals(slaveStatus.getString("Slave_IO_Running"))
      && "Yes".equals(slaveStatus.getString("Slave_SQL_Running"));
    Object lag = slaveStatus.getValue("Seconds_Behind_Master");
    Long lagSeconds = lag == null ? null : Long.valueOf(lag.toString());
    String error = running ? null : firstNonBlank(slaveStatus.getString("Last_IO_Error"),
      slaveStatus.getString("Last_SQL_Error"), "replication threads are not running");
    return new NodeState(true, writable, running, lagSeconds, error);
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** Closes the pool and takes the node's series out of the registry (a node can leave at runtime). */
  Future<Void> close() {
    meters.forEach(registry::remove);
    return pool.close();
  }
}
