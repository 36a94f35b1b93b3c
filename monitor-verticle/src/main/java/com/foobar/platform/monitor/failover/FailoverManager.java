package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.HttpStatusException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Keeps exactly one writable database node, like MariaDB MaxScale's mariadbmon: every round it checks each
 * node; a node that is writable but is not the writer is fenced ({@code read_only=1}) and made to replicate
 * from the writer; when the writer has been unreachable for {@code failAfter} ms (and automatic failover is
 * on), the most advanced replica applies what it fetched and is promoted. Applications find the writer by
 * {@code read_only}, so they follow without a restart. Rounds never overlap, and a manual switchover runs
 * between rounds, so two decisions can never race.
 */
public final class FailoverManager {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverManager.class);
  private static final int EVENTS_KEPT = 50;

  private final Vertx vertx;
  /** Configured nodes first, then discovered ones ({@link ReplicaDiscovery}); copy-on-write for the readers. */
  private final List<ClusterNode> nodes;
  private final ReplicaDiscovery discovery;
  private final FailoverOptions options;
  private final String replicationPassword;
  private final Counter failovers;
  private final Counter switchovers;
  private final Deque<JsonObject> events = new ArrayDeque<>();
  private ClusterNode writer;
  private Instant writerLostAt;
  private Future<?> busy = Future.succeededFuture();
  private boolean stopped;

  /**
   * @param nodes the database nodes by name, the configured primary first (the writer until a check says
   *              otherwise); host, port and database are taken from each, the user from {@code options}
   */
  public static FailoverManager create(Vertx vertx, Map<String, MySQLConnectOptions> nodes, FailoverOptions options,
                                       String password, String replicationPassword, MeterRegistry registry) {
    // No default database: the failover account has rights on no schema, only on replication and read_only.
    BiFunction<String, MySQLConnectOptions, ClusterNode> node = (name, connect) -> new ClusterNode(vertx, name,
      new MySQLConnectOptions().setHost(connect.getHost()).setPort(connect.getPort()).setUser(options.getUser())
        .setPassword(password), options.getConnectTimeout());
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
    this.replicationPassword = replicationPassword;
    this.writer = nodes.get(0);
    this.failovers = Counter.builder("foobar_failovers").description("Automatic promotions of a replica")
      .register(registry);
    this.switchovers = Counter.builder("foobar_switchovers").description("Manual switchovers").register(registry);
  }

  /** Checks every {@code checkInterval} ms until {@link #stop()}; a round starts only when the last one ended. */
  public void start() {
    schedule();
  }

  private void schedule() {
    if (!stopped) {
      vertx.setTimer(options.getCheckInterval(), id -> serialized(this::round).onComplete(done -> schedule()));
    }
  }

  /** Runs one piece of work after the previous one: rounds and switchovers never interleave. */
  private synchronized <T> Future<T> serialized(Supplier<Future<T>> work) {
    Future<T> next = busy.transform(previous -> work.get());
    busy = next.otherwiseEmpty();
    return next;
  }

  /** One round: look at every node, then act on what was seen. Never fails. */
  public Future<Void> round() {
    List<Future<NodeView>> checks = new ArrayList<>();
    nodes.forEach(node -> checks.add(node.check()));
    return Future.join(checks).otherwiseEmpty()
      .compose(checked -> discover())
      .compose(discovered -> act())
      .otherwise(failure -> {
        record("error", null, failure.getMessage());
        return null;
      });
  }

  /** New replicas the writer lists join the managed nodes (their first check is in the next round). */
  private Future<Void> discover() {
    if (!options.isDiscoverReplicas()) {
      return Future.succeededFuture();
    }
    return discovery.update(writer, nodes).map(changes -> {
      changes.forEach(change -> record("topology", null, change));
      return null;
    });
  }

  private Future<Void> act() {
    List<ClusterNode> writable = nodes.stream().filter(n -> n.view().checked() && n.view().writable()).toList();
    // The one writable node is the writer, whatever the configuration says: after a failover or switchover,
    // or a restart of the monitor, the databases know better than the config.
    if (writable.size() == 1 && writable.get(0) != writer) {
      writer = writable.get(0);
      record("writer", writer, "is the writer (the only writable node)");
    }
    if (writer.view().reachable()) {
      writerLostAt = null;
      return fenceAndRejoin();
    }
    if (writerLostAt == null) {
      writerLostAt = Instant.now();
      record("writer-lost", writer, writer.view().error());
    }
    long downMs = Instant.now().toEpochMilli() - writerLostAt.toEpochMilli();
    if (!options.isEnabled() || downMs < options.getFailAfter()) {
      return Future.succeededFuture();
    }
    return failover();
  }

  /** Every reachable node but the writer must be read-only and replicate from the writer. */
  private Future<Void> fenceAndRejoin() {
    Future<Void> chain = Future.succeededFuture();
    for (ClusterNode node : nodes) {
      NodeView view = node.view();
      if (node == writer || !view.checked()) {
        continue;
      }
      boolean followsWriter = writer.address().equals(view.source()) && view.replicating();
      if (view.writable() || !followsWriter) {
        chain = chain.compose(done -> rejoin(node));
      }
    }
    return chain;
  }

  private Future<Void> rejoin(ClusterNode node) {
    boolean wasWritable = node.view().writable();
    if (node.view().source() != null && node.view().replicationError() != null
      && writer.address().equals(node.view().source())) {
      // It follows the writer but cannot apply its changes: diverged history. Keep it fenced; an operator
      // rebuilds it (see the README).
      return wasWritable ? node.fence().onSuccess(f -> record("fenced", node, node.view().replicationError()))
        : Future.succeededFuture();
    }
    return node.replicateFrom(writer, options.getReplicationUser(), replicationPassword)
      .onSuccess(done -> record(wasWritable ? "fenced" : "rejoined", node, "replicates from " + writer.name()))
      .recover(failure -> node.fence().onComplete(f -> record("fenced", node, failure.getMessage())));
  }

  private Future<Void> failover() {
    ClusterNode candidate = nodes.stream()
      .filter(n -> n != writer && n.view().checked())
      .max(Comparator.comparingLong(n -> Gtid.progress(
        n.view().gtidIoPos() != null ? n.view().gtidIoPos() : n.view().gtidCurrentPos())))
      .orElse(null);
    if (candidate == null) {
      return Future.succeededFuture();
    }
    ClusterNode lost = writer;
    LOG.warn("writer {} unreachable for {} ms: promoting {}", lost.name(), options.getFailAfter(), candidate.name());
    return candidate.promote(candidate.view().gtidIoPos(), options.getCatchUpSeconds())
      .onSuccess(done -> {
        writer = candidate;
        writerLostAt = null;
        failovers.increment();
        record("failover", candidate, "promoted; " + lost.name() + " was unreachable");
      })
      .recover(failure -> {
        // Try again only after another full wait, not every round.
        writerLostAt = Instant.now();
        record("failover-failed", candidate, failure.getMessage());
        return Future.succeededFuture();
      });
  }

  /**
   * Planned change of writer with no lost write: fence the writer, let {@code targetName} apply everything
   * up to the writer's last transaction, promote it, and make the old writer replicate from it.
   */
  public Future<JsonObject> switchover(String targetName) {
    return serialized(() -> round().compose(checked -> switchoverNow(targetName)));
  }

  private Future<JsonObject> switchoverNow(String targetName) {
    ClusterNode target = nodes.stream().filter(n -> n.name().equals(targetName)).findFirst().orElse(null);
    if (target == null) {
      return Future.failedFuture(HttpStatusException.badRequest("target", "no database node named " + targetName));
    }
    if (target == writer) {
      return Future.failedFuture(new HttpStatusException(409, "already_writer", targetName + " is the writer"));
    }
    if (!writer.view().reachable() || !target.view().reachable() || !target.view().replicating()) {
      return Future.failedFuture(new HttpStatusException(409, "not_ready",
        "switchover needs a reachable writer and a replicating target; use failover when the writer is down"));
    }
    ClusterNode old = writer;
    return old.fence()
      .compose(fenced -> old.binlogPosition())
      .compose(position -> target.promote(position, options.getCatchUpSeconds())
        .recover(failure -> old.unfence().transform(undone -> Future.failedFuture(new HttpStatusException(503,
          "switchover_failed", "the writer is unchanged: " + failure.getMessage(), null, 2, failure)))))
      .compose(promoted -> {
        writer = target;
        switchovers.increment();
        record("switchover", target, "promoted; " + old.name() + " now replicates from it");
        return old.check().compose(v -> old.replicateFrom(target, options.getReplicationUser(), replicationPassword));
      })
      .map(done -> describe());
  }

  private void record(String kind, ClusterNode node, String detail) {
    JsonObject event = new JsonObject().put("at", Instant.now().toString()).put("event", kind)
      .put("node", node == null ? null : node.name()).put("detail", detail);
    LOG.warn("failover manager: {} {}: {}", kind, node == null ? "" : node.name(), detail);
    synchronized (events) {
      events.addFirst(event);
      while (events.size() > EVENTS_KEPT) {
        events.removeLast();
      }
    }
  }

  /** The writer, each node as last seen, and recent decisions (newest first). */
  public JsonObject describe() {
    JsonObject nodesJson = new JsonObject();
    nodes.forEach(node -> nodesJson.put(node.name(), node.view().toJson().put("address", node.address())
      .put("discovered", discovery.isDiscovered(node))));
    JsonArray recent;
    synchronized (events) {
      recent = new JsonArray(new ArrayList<>(events));
    }
    return new JsonObject().put("enabled", options.isEnabled()).put("writer", writer.name())
      .put("writerLostSince", Objects.toString(writerLostAt, null)).put("nodes", nodesJson).put("events", recent);
  }

  /** Every node but the writer, as {@code {"name", "address", "discovered"}}: what application servers may read from. */
  public List<JsonObject> replicas() {
    ClusterNode current = writer;
    return nodes.stream().filter(node -> node != current)
      .map(node -> new JsonObject().put("name", node.name()).put("address", node.address())
        .put("discovered", discovery.isDiscovered(node)))
      .toList();
  }

  public String writerName() {
    return writer.name();
  }

  public String writerAddress() {
    return writer.address();
  }

  public Future<Void> stop() {
    stopped = true;
    List<Future<Void>> closing = new ArrayList<>();
    nodes.forEach(node -> closing.add(node.close()));
    return Future.join(closing).mapEmpty();
  }
}
