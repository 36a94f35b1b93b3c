package com.foobar.platform.app;

import com.foobar.platform.common.DatabaseSecrets;
import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.common.db.NodeStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Read/write splitting over the database nodes, each with its own pool (ProxySQL's and MaxScale's rules).
 *
 * <p>Writes and transactions run on the writer: the one node whose {@code read_only} is off (at start, the
 * configured primary), so a promoted replica takes the writes without a restart; with two writable nodes,
 * writes are refused rather than split. Plain reads go round robin to the other nodes that replicate within
 * {@code maxReplicationLag}; with none usable, or when the chosen one fails, they go to the writer. A read
 * carrying a consistency token (the GTID of the client's last write) runs on a replica only once
 * {@code MASTER_GTID_WAIT} says it has that write, else on the writer. An errant node ({@link ErrantNodes}) serves
 * no read at all.
 */
final class Database {

  /** Configured nodes, then those learned from the cluster's directory; copy-on-write: a node may join or leave. */
  private final List<DatabaseNode> nodes = new CopyOnWriteArrayList<>();
  private final List<DatabaseNode> replicas = new ArrayList<>();
  private final Set<DatabaseNode> learned = ConcurrentHashMap.newKeySet();
  private final Vertx vertx;
  private final String password;
  private final MeterRegistry registry;
  private final AtomicInteger nextReplica = new AtomicInteger();
  private final AppOptions options;
  private final Counter readFallbacks;
  private final Counter consistentOnReplica;
  private final Counter consistentOnWriter;
  private volatile DatabaseNode writer;
  private volatile String writesRefused;
  private Future<String> refreshing;

  Database(Vertx vertx, AppOptions options, String password, MeterRegistry registry) {
    this.vertx = vertx;
    this.password = password;
    this.registry = registry;
    this.options = options;
    this.writer = new DatabaseNode(vertx, "primary", DatabaseSecrets.withPassword(options.getPrimary(), password), options, registry);
    nodes.add(writer);
    for (int i = 0; i < options.getReplicas().size(); i++) {
      DatabaseNode replica = new DatabaseNode(vertx, "replica-" + (i + 1),
        DatabaseSecrets.withPassword(options.getReplicas().get(i), password), options, registry);
      nodes.add(replica);
      replicas.add(replica);
    }
    this.readFallbacks = Counter.builder("foobar_app_read_fallbacks")
      .description("Plain reads sent to the writer because no replica could serve them").register(registry);
    this.consistentOnReplica = Counter.builder("foobar_app_consistent_reads").tag("served_by", "replica")
      .description("Reads with a consistency token, by where they ran").register(registry);
    this.consistentOnWriter = Counter.builder("foobar_app_consistent_reads").tag("served_by", "writer")
      .description("Reads with a consistency token, by where they ran").register(registry);
  }

  /** Runs a write on the writer, on one connection (so LAST_INSERT_ID and @@last_gtid stay meaningful). */
  <T> Future<T> write(Function<SqlConnection, Future<T>> work) {
    return writerForWrites().compose(node -> node.withConnection(work)
      .recover(failure -> retryOnNewWriter(node, failure, work)));
  }

  /**
   * A write that could not even connect never ran, so after a failover it may safely run on the new writer:
   * check the nodes now instead of at the next interval, and retry once if the writer changed. Any other
   * failure (the statement may have run) is never retried.
   */
  private <T> Future<T> retryOnNewWriter(DatabaseNode failed, Throwable failure,
                                         Function<SqlConnection, Future<T>> work) {
    if (!(failure instanceof ConnectException)) {
      return Future.failedFuture(failure);
    }
    return refresh().compose(change -> writer != failed && writesRefused == null
      ? writer.withConnection(work) : Future.failedFuture(failure));
  }

  /** Runs work in a transaction on the writer: every statement of it, reads and locking reads included. */
  <T> Future<T> transaction(Function<SqlConnection, Future<T>> work) {
    return writerForWrites().compose(node -> node.withTransaction(work));
  }

  private Future<DatabaseNode> writerForWrites() {
    String refused = writesRefused;
    return refused == null ? Future.succeededFuture(writer) : Future.failedFuture(
      HttpStatusException.unavailable("writes_refused", refused, options.getRetryAfterSeconds(), null));
  }

  /** Runs a plain read on a usable replica, or elsewhere when none can serve it ({@link #readElsewhere}). */
  <T> Future<T> read(Function<SqlConnection, Future<T>> work) {
    DatabaseNode replica = nextReadableReplica();
    if (replica == null) {
      return readElsewhere(work);
    }
    return replica.withConnection(work)
      .recover(failure -> DatabaseFailures.isUnavailable(failure) ? readElsewhere(work) : Future.failedFuture(failure));
  }

  /**
   * A read no healthy replica can take: on the writer; and when the writer is down too, on any replica that
   * still answers, however far behind: with the primary gone a stale read beats no read (MaxScale's
   * {@code master_failure_mode=fail_on_write}). Never on an errant node: what it holds beyond the writer's
   * history is no state of the site that ever was.
   */
  private <T> Future<T> readElsewhere(Function<SqlConnection, Future<T>> work) {
    readFallbacks.increment();
    DatabaseNode stale = nodes.stream().filter(node -> node != writer && node.state().reachable()
        && node.state().errant() == null)
      .findFirst().orElse(null);
    if (stale == null) {
      return writer.withConnection(work);
    }
    if (!writer.state().reachable()) {
      return stale.withConnection(work);
    }
    return writer.withConnection(work)
      .recover(failure -> DatabaseFailures.isUnavailable(failure) ? stale.withConnection(work)
        : Future.failedFuture(failure));
  }

  /**
   * Runs a read that must see the write whose GTID is {@code token}: on a replica once it has applied that
   * transaction (waiting at most {@code consistencyWait} ms), else on the writer.
   */
  <T> Future<T> read(ConsistencyToken token, Function<SqlConnection, Future<T>> work) {
    if (token == null) {
      return read(work);
    }
    DatabaseNode replica = nextReadableReplica();
    if (replica == null) {
      consistentOnWriter.increment();
      return writer.withConnection(work);
    }
    double waitSeconds = options.getConsistencyWait() / 1000.0;
    return replica.withConnection(connection -> connection.preparedQuery("SELECT MASTER_GTID_WAIT(?, ?)")
        .execute(Tuple.of(token.gtid(), waitSeconds))
        .compose(rows -> Integer.valueOf(0).equals(rows.iterator().next().getInteger(0))
          ? work.apply(connection).map(Optional::of)
          : Future.succeededFuture(Optional.<T>empty())))
      .recover(failure -> DatabaseFailures.isUnavailable(failure)
        ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure))
      .compose(onReplica -> {
        if (onReplica.isPresent()) {
          consistentOnReplica.increment();
          return Future.succeededFuture(onReplica.get());
        }
        consistentOnWriter.increment();
        return writer.withConnection(work);
      });
  }

  /** Any node but the writer may serve reads: after a failover the old primary rejoins as a replica. */
  private DatabaseNode nextReadableReplica() {
    DatabaseNode[] all = nodes.toArray(new DatabaseNode[0]);
    int start = nextReplica.getAndIncrement();
    for (int i = 0; i < all.length; i++) {
      DatabaseNode candidate = all[Math.floorMod(start + i, all.length)];
      if (candidate != writer && candidate.state().readable(options.getMaxReplicationLag())) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Checks every node and picks the writer; returns a description of a change, or null when none. Callers
   * arriving while a check is under way share it.
   */
  synchronized Future<String> refresh() {
    if (refreshing == null) {
      List<Future<NodeStatus>> checks = new ArrayList<>();
      nodes.forEach(node -> checks.add(node.check()));
      Future<String> check = Future.join(checks).otherwiseEmpty()
        .compose(done -> writersAgain())
        .map(done -> {
          ErrantNodes.judge(nodes, writer);
          return chooseWriter();
        });
      refreshing = check;
      check.onComplete(done -> clearRefreshing(check));
    }
    return refreshing;
  }

  private synchronized void clearRefreshing(Future<String> done) {
    if (refreshing == done) {
      refreshing = null;
    }
  }

  /** The writable nodes once more, last: a replica may apply what the writer committed after it was read. */
  private Future<Void> writersAgain() {
    List<Future<NodeStatus>> checks = new ArrayList<>();
    nodes.stream().filter(node -> node.status().writable()).forEach(node -> checks.add(node.check()));
    return Future.join(checks).otherwiseEmpty().mapEmpty();
  }

  private String chooseWriter() {
    List<DatabaseNode> writable = nodes.stream().filter(node -> node.state().reachable() && node.state().writable())
      .toList();
    String before = describeWriter();
    if (writable.size() > 1) {
      writesRefused = "two writable database nodes (" + writable.stream().map(DatabaseNode::name).toList()
        + "): writes are refused until one is fenced";
    } else {
      writesRefused = null;
      if (writable.size() == 1) {
        writer = writable.get(0);
      }
    }
    String after = describeWriter();
    return before.equals(after) ? null : after;
  }

  private String describeWriter() {
    return writesRefused != null ? writesRefused : "writer is " + writer.name() + " (" + writer.address() + ")";
  }

  /**
   * Adds a node this server was not configured with (announced in the cluster's directory), with the same
   * account as the primary; its first check, now, decides what it may serve. Returns false when a node with
   * that address exists already.
   */
  Future<Boolean> learn(String name, String host, int port) {
    String address = host + ":" + port;
    if (nodes.stream().anyMatch(node -> node.address().equals(address))) {
      return Future.succeededFuture(false);
    }
    String unique = nodes.stream().anyMatch(node -> node.name().equals(name)) ? "db-" + address : name;
    MySQLConnectOptions connect = DatabaseSecrets.withPassword(new MySQLConnectOptions(options.getPrimary())
      .setHost(host).setPort(port), password);
    DatabaseNode node = new DatabaseNode(vertx, unique, connect, options, registry);
    return node.check().map(status -> {
      node.judged(null);
      nodes.add(node);
      learned.add(node);
      return true;
    });
  }

  /**
   * Removes the learned nodes whose address is not in {@code announced} (their directory entries expired);
   * never a configured node and never the writer. Returns the names removed.
   */
  List<String> forget(Set<String> announced) {
    List<String> gone = new ArrayList<>();
    for (DatabaseNode node : learned) {
      if (!announced.contains(node.address()) && node != writer) {
        learned.remove(node);
        nodes.remove(node);
        node.close();
        gone.add(node.name());
      }
    }
    return gone;
  }

  DatabaseNode writer() {
    return writer;
  }

  List<DatabaseNode> nodes() {
    return nodes;
  }

  List<DatabaseNode> replicas() {
    return replicas;
  }

  JsonObject describe() {
    JsonObject json = new JsonObject().put("writer", writer.name()).put("writesRefused", writesRefused);
    nodes.forEach(node -> json.put(node.name(), node.state().toJson().put("address", node.address())
      .put("learned", learned.contains(node))));
    return json;
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    nodes.forEach(node -> closing.add(node.close()));
    return Future.join(closing).mapEmpty();
  }
}
