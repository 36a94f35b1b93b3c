package com.foobar.platform.app.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Read/write splitting over the database nodes ({@link DatabaseNodes}), each with its own pool (ProxySQL's and
 * MaxScale's rules).
 *
 * <p>Writes and transactions run on the writer. Plain reads go round robin to the other nodes that replicate within
 * {@code maxReplicationLagSeconds}; with none usable, or when the chosen one fails, they go to the writer. A read
 * carrying a consistency token (the GTID of the client's last write) runs on a replica only once
 * {@code MASTER_GTID_WAIT} says it has that write, else on the writer. An errant node ({@link ErrantNodes}) serves
 * no read at all. What fails leaves as a domain failure: {@link WritesRefused}, {@link NoDatabaseNode}, or the work's
 * own.
 */
public final class Database {

  /** Between checks of the nodes while a refused write waits for a new writer. */
  static final long WRITER_POLL_MS = 100;

  private final Vertx vertx;
  private final DatabaseNodes nodes;
  private final DatabaseSettings settings;
  private final AtomicInteger nextReplica = new AtomicInteger();
  private final Counter readFallbacks;
  private final Counter consistentOnReplica;
  private final Counter consistentOnWriter;

  public Database(Vertx vertx, DatabaseSettings settings, String password, MeterRegistry registry) {
    this.vertx = vertx;
    this.nodes = new DatabaseNodes(vertx, settings, password, registry);
    this.settings = settings;
    this.readFallbacks = Counter.builder("foobar_app_read_fallbacks")
      .description("Plain reads sent to the writer because no replica could serve them").register(registry);
    this.consistentOnReplica = Counter.builder("foobar_app_consistent_reads").tag("served_by", "replica")
      .description("Reads with a consistency token, by where they ran").register(registry);
    this.consistentOnWriter = Counter.builder("foobar_app_consistent_reads").tag("served_by", "writer")
      .description("Reads with a consistency token, by where they ran").register(registry);
  }

  /** Runs a write on the writer, on one connection (so LAST_INSERT_ID and @@last_gtid stay meaningful). */
  public <T> Future<T> write(Function<SqlConnection, Future<T>> work) {
    return writerForWrites()
      .compose(node -> node.withConnection(work).recover(failure -> retryOnNewWriter(node, failure, work)))
      .recover(DatabaseFailures::asDomain);
  }

  /**
   * A write that never ran may run on the writer that follows. Refused as read-only (a switchover makes the old
   * writer read-only a moment before the new one is writable): check the nodes now and every
   * {@value #WRITER_POLL_MS} ms until one is writable, for at most {@code writerWaitMs}, then retry once. Could not
   * connect (the writer died): check once and retry only if another node already writes; a write sent to a node
   * at the instant a failover promotes it can wait on the promotion itself (FailoverUnderLoadTest saw one hang
   * 30 s), so it gets its fast 503 instead. Any other failure (the statement may have run) is never retried.
   */
  private <T> Future<T> retryOnNewWriter(DatabaseNode failed, Throwable failure,
                                         Function<SqlConnection, Future<T>> work) {
    if (DatabaseFailures.refusedAsReadOnly(failure)) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.writerWaitMs());
      return writableWriter(deadline).compose(writer -> writer.withConnection(work),
        none -> Future.failedFuture(failure));
    }
    if (!DatabaseFailures.neverRan(failure)) {
      return Future.failedFuture(failure);
    }
    return nodes.refresh().compose(change -> nodes.writer() != failed && nodes.writesRefused() == null
      ? nodes.writer().withConnection(work) : Future.failedFuture(failure));
  }

  /** The writer once a check finds it writable and writes allowed; fails at the deadline. */
  private Future<DatabaseNode> writableWriter(long deadline) {
    return nodes.refresh().compose(change -> {
      DatabaseNode writer = nodes.writer();
      if (nodes.writesRefused() == null && writer.status().writable()) {
        return Future.succeededFuture(writer);
      }
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WRITER_POLL_MS) > deadline) {
        return Future.failedFuture("no writable writer within writerWaitMs");
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(WRITER_POLL_MS, id -> later.complete());
      return later.future().compose(waited -> writableWriter(deadline));
    });
  }

  /** Runs work in a transaction on the writer: every statement of it, reads and locking reads included. */
  public <T> Future<T> transaction(Function<SqlConnection, Future<T>> work) {
    return writerForWrites().compose(node -> node.withTransaction(work)).recover(DatabaseFailures::asDomain);
  }

  private Future<DatabaseNode> writerForWrites() {
    String refused = nodes.writesRefused();
    return refused == null ? Future.succeededFuture(nodes.writer()) : Future.failedFuture(new WritesRefused(refused));
  }

  /**
   * Runs a plain read on a usable replica, or elsewhere when none can serve it ({@link #readElsewhere}); on the
   * node's pipelined client, so the work must need no session of its own.
   */
  public <T> Future<T> read(Function<SqlClient, Future<T>> work) {
    DatabaseNode replica = nextReadableReplica();
    Future<T> read = replica == null ? readElsewhere(work) : replica.read(work)
      .recover(failure -> DatabaseFailures.isUnavailable(failure) ? readElsewhere(work) : Future.failedFuture(failure));
    return read.recover(DatabaseFailures::asDomain);
  }

  /**
   * A read no healthy replica can take: on the writer; and when the writer is down too, on any replica that
   * still answers, however far behind: with the primary gone a stale read beats no read (MaxScale's
   * {@code master_failure_mode=fail_on_write}). Never on an errant node: what it holds beyond the writer's
   * history is no state of the site that ever was.
   */
  private <T> Future<T> readElsewhere(Function<SqlClient, Future<T>> work) {
    readFallbacks.increment();
    DatabaseNode writer = nodes.writer();
    DatabaseNode stale = nodes.all().stream().filter(node -> node != writer && node.state().reachable()
        && node.state().errant() == null)
      .findFirst().orElse(null);
    if (stale == null) {
      return writer.read(work);
    }
    if (!writer.state().reachable()) {
      return stale.read(work);
    }
    return writer.read(work)
      .recover(failure -> DatabaseFailures.isUnavailable(failure) ? stale.read(work)
        : Future.failedFuture(failure));
  }

  /**
   * Runs a read that must see the write whose GTID is {@code token}: on a replica once it has applied that
   * transaction (waiting at most {@code consistencyWaitMs}), else on the writer.
   */
  public <T> Future<T> read(ConsistencyToken token, Function<SqlClient, Future<T>> work) {
    if (token == null) {
      return read(work);
    }
    DatabaseNode replica = nextReadableReplica();
    Future<Optional<T>> onReplica = replica == null ? Future.succeededFuture(Optional.empty())
      : replica.withConnection(connection -> afterWaitFor(token, connection, work))
        .recover(failure -> DatabaseFailures.isUnavailable(failure)
          ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure));
    return onReplica.compose(served -> {
      (served.isPresent() ? consistentOnReplica : consistentOnWriter).increment();
      return served.isPresent() ? Future.succeededFuture(served.get()) : nodes.writer().read(work);
    }).recover(DatabaseFailures::asDomain);
  }

  /** The work on this replica's connection once it has applied {@code token}; empty when it did not in time. */
  private <T> Future<Optional<T>> afterWaitFor(ConsistencyToken token, SqlConnection connection,
                                               Function<SqlClient, Future<T>> work) {
    return connection.preparedQuery("SELECT MASTER_GTID_WAIT(?, ?)")
      .execute(Tuple.of(token.gtid(), settings.consistencyWaitMs() / 1000.0))
      .compose(rows -> Integer.valueOf(0).equals(rows.iterator().next().getInteger(0))
        ? work.apply(connection).map(Optional::of)
        : Future.succeededFuture(Optional.<T>empty()));
  }

  /** Any node but the writer may serve reads: after a failover the old primary rejoins as a replica. */
  private DatabaseNode nextReadableReplica() {
    DatabaseNode[] all = nodes.all().toArray(new DatabaseNode[0]);
    int start = nextReplica.getAndIncrement();
    for (int i = 0; i < all.length; i++) {
      DatabaseNode candidate = all[Math.floorMod(start + i, all.length)];
      if (candidate != nodes.writer() && candidate.state().readable(settings.maxReplicationLagSeconds())) {
        return candidate;
      }
    }
    return null;
  }

  /** Checks every node now and picks the writer; a description of the change, or null when nothing changed. */
  public Future<String> refresh() {
    return nodes.refresh();
  }

  DatabaseNodes nodes() {
    return nodes;
  }

  /** The configured replicas, in configuration order. */
  List<DatabaseNode> replicas() {
    return nodes.configuredReplicas();
  }

  /** Every node's last check, and the writer: what {@code GET /database} shows. */
  public JsonObject describe() {
    return nodes.describe();
  }

  /** For the start-up log: the writer's and the configured replicas' addresses. */
  public String summary() {
    return "writer " + nodes.writer().address() + ", replicas "
      + replicas().stream().map(DatabaseNode::address).toList();
  }

  public Future<Void> close() {
    return nodes.close();
  }
}
