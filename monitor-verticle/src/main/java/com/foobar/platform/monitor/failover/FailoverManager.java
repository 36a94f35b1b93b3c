package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.db.Election;
import com.foobar.platform.common.db.ElectionResult;
import com.foobar.platform.common.db.ReplicationSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Keeps exactly one writable database node, like MariaDB MaxScale's mariadbmon, by the platform's one election
 * rule ({@link Election}; what it does with it: {@link RoleKeeper}): every round it reads each node, then fences,
 * re-points, quarantines or promotes. Applications find the writer by {@code read_only}, so they follow without a
 * restart. Rounds never overlap, and a switchover or forced failover runs between rounds, so two decisions can
 * never race.
 */
public final class FailoverManager {

  private final Vertx vertx;
  /** Configured nodes first, then discovered ones ({@link ReplicaDiscovery}); copy-on-write for the readers. */
  private final List<ClusterNode> nodes;
  private final ReplicaDiscovery discovery;
  private final FailoverOptions options;
  private final FailoverEvents events = new FailoverEvents();
  private final FailoverMetrics metrics;
  private final RoleKeeper keeper;
  private final ReplicationSource.Account account;
  private Future<?> busy = Future.succeededFuture();
  private boolean stopped;

  /**
   * @param nodes the database nodes by name, the configured primary first (the writer until a check says
   *              otherwise); host, port and database are taken from each, the user from {@code options}
   */
  public static FailoverManager create(Vertx vertx, Map<String, MySQLConnectOptions> nodes, FailoverOptions options,
                                       String password, String replicationPassword, MeterRegistry registry) {
    // No default database: the failover account has rights on no application schema.
    BiFunction<String, MySQLConnectOptions, ClusterNode> node = (name, connect) -> new ClusterNode(vertx, name,
      new MySQLConnectOptions().setHost(connect.getHost()).setPort(connect.getPort()).setUser(options.user())
        .setPassword(password), options.connectTimeoutMs());
    List<ClusterNode> cluster = new ArrayList<>();
    nodes.forEach((name, connect) -> cluster.add(node.apply(name, connect)));
    ReplicaDiscovery discovery = new ReplicaDiscovery(host -> node.apply(host.name(),
      new MySQLConnectOptions().setHost(host.host()).setPort(host.port())));
    return new FailoverManager(vertx, cluster, discovery, options, replicationPassword, registry);
  }

  private FailoverManager(Vertx vertx, List<ClusterNode> nodes, ReplicaDiscovery discovery, FailoverOptions options,
                          String replicationPassword, MeterRegistry registry) {
    this.vertx = vertx;
    this.nodes = new CopyOnWriteArrayList<>(nodes);
    this.discovery = discovery;
    this.options = options;
    this.metrics = new FailoverMetrics(registry);
    this.account = new ReplicationSource.Account(options.replicationUser(), replicationPassword);
    this.keeper = new RoleKeeper(this.nodes, options, account, events, metrics);
  }

  /** Checks every {@code checkIntervalMs} until {@link #stop()}; a round starts only when the last one ended. */
  public void start() {
    schedule();
  }

  private void schedule() {
    if (!stopped) {
      vertx.setTimer(options.checkIntervalMs(), id -> serialized(this::round).onComplete(done -> schedule()));
    }
  }

  /** Runs one piece of work after the previous one: rounds, switchovers and forced failovers never interleave. */
  private synchronized <T> Future<T> serialized(Supplier<Future<T>> work) {
    Future<T> next = busy.transform(previous -> work.get());
    busy = next.otherwiseEmpty();
    return next;
  }

  /** One round: look at every node, then act on what was seen. Never fails. */
  public Future<Void> round() {
    List<Future<?>> checks = new ArrayList<>();
    nodes.forEach(node -> checks.add(node.check()));
    return Future.join(checks).otherwiseEmpty()
      .compose(checked -> writersAgain())
      .compose(checked -> discover())
      .compose(discovered -> keeper.act())
      .otherwise(failure -> {
        events.record("error", null, failure.getMessage());
        return null;
      });
  }

  /**
   * Reads the writable nodes once more, after the others: a follower may apply a transaction the writer committed
   * after the writer was read, and would then look as if it held something the writer lacks.
   */
  private Future<Void> writersAgain() {
    List<Future<?>> checks = new ArrayList<>();
    nodes.stream().filter(node -> node.status().writable()).forEach(node -> checks.add(node.check()));
    return Future.join(checks).otherwiseEmpty().mapEmpty();
  }

  /** New replicas the writer lists join the managed nodes (their first check is in the next round). */
  private Future<Void> discover() {
    if (!options.discoverReplicas()) {
      return Future.succeededFuture();
    }
    return discovery.update(keeper.writer(), nodes).map(changes -> {
      changes.forEach(change -> events.record("topology", null, change));
      return null;
    });
  }

  /**
   * Planned change of writer with no lost write: fence the writer, let {@code targetName} apply everything up to
   * the writer's last transaction, promote it (the next epoch), and make the old writer replicate from it.
   */
  public Future<JsonObject> switchover(String targetName) {
    return serialized(() -> round().compose(checked -> switchoverNow(targetName)));
  }

  private Future<JsonObject> switchoverNow(String targetName) {
    ClusterNode target = named(targetName);
    ClusterNode old = keeper.writer();
    if (target == old) {
      return Future.failedFuture(new FailoverException.AlreadyWriter(targetName));
    }
    if (!old.status().writable() || !target.status().checked() || !target.follows(old)) {
      return Future.failedFuture(new FailoverException.SwitchoverNotReady());
    }
    long next = keeper.epoch() + 1;
    return old.fence()
      .compose(fenced -> old.binlogPosition())
      .compose(position -> target.promote(next, position, options.catchUpSeconds())
        .recover(failure -> old.unfence()
          .transform(undone -> Future.failedFuture(new FailoverException.SwitchoverFailed(failure)))))
      .compose(promoted -> {
        keeper.switchedTo(target, next);
        metrics.switchover();
        events.record("switchover", target.name(), "promoted (epoch " + next + "); " + old.name()
          + " now replicates from it");
        return old.check().compose(v -> old.follow(target, account));
      })
      .map(done -> describe());
  }

  /**
   * An operator's failover to {@code targetName} while the writer is lost, without the automatic checks (the
   * wait, a writer last seen asynchronous): whatever the lost writer holds beyond the target's history is then
   * errant on it, quarantined when it returns, never discarded.
   */
  public Future<JsonObject> failover(String targetName) {
    return serialized(() -> round().compose(checked -> {
      ClusterNode target = named(targetName);
      if (keeper.writer().status().writable()) {
        return Future.failedFuture(new FailoverException.WriterAlive(keeper.writer().name()));
      }
      ElectionResult judged = Election.decide(nodes.stream().map(ClusterNode::member).toList(), null, targetName);
      if (!judged.hasWriter()) {
        return Future.failedFuture(new FailoverException.FailoverNotReady(judged.reason()));
      }
      return keeper.promote(target, judged, "forced-failover", "promoted by the operator; "
          + keeper.writer().name() + " was not writable")
        .compose(done -> target.check())
        .compose(done -> target.status().writable() ? Future.succeededFuture(describe())
          : Future.failedFuture(new FailoverException.FailoverFailed()));
    }));
  }

  private ClusterNode named(String name) {
    ClusterNode node = keeper.node(name);
    if (node == null) {
      throw new FailoverException.NoSuchNode(name);
    }
    return node;
  }

  /** The writer, its epoch and durability, each node as last seen, the last election and recent decisions. */
  public JsonObject describe() {
    JsonObject nodesJson = new JsonObject();
    nodes.forEach(node -> nodesJson.put(node.name(), node.toJson().put("discovered", discovery.isDiscovered(node))));
    ElectionResult election = keeper.election();
    return new JsonObject().put("enabled", options.enabled()).put("writer", keeper.writer().name())
      .put("writerLostSince", Objects.toString(keeper.writerLostAt(), null)).put("database", health().toJson())
      .put("election", election == null ? null : election.toJson()).put("nodes", nodesJson)
      .put("events", events.toJson());
  }

  /** The database tier's durability now, for the monitor's alerts and status page. */
  public DatabaseHealth health() {
    return keeper.health();
  }

  /**
   * Every node but the writer and the errant ones, as {@code {"name", "address", "discovered"}}: what
   * application servers may read from.
   */
  public List<JsonObject> replicas() {
    ClusterNode current = keeper.writer();
    ElectionResult election = keeper.election();
    return nodes.stream().filter(node -> node != current && (election == null || !election.isErrant(node.name())))
      .map(node -> new JsonObject().put("name", node.name()).put("address", node.address())
        .put("discovered", discovery.isDiscovered(node)))
      .toList();
  }

  public String writerName() {
    return keeper.writer().name();
  }

  public String writerAddress() {
    return keeper.writer().address();
  }

  public Future<Void> stop() {
    stopped = true;
    metrics.close();
    List<Future<Void>> closing = new ArrayList<>();
    nodes.forEach(node -> closing.add(node.close()));
    return Future.join(closing).mapEmpty();
  }
}
