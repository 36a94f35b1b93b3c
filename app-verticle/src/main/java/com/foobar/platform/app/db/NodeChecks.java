package com.foobar.platform.app.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code nodeCheckIntervalMs}, each node's role and replication are read again and the writer chosen
 * ({@link Database#refresh}); under {@code -cluster} with replica discovery, the nodes published in the cluster's
 * directory join or leave first ({@link DatabaseDirectory}). Checks never overlap: the next is scheduled when the
 * previous one is done. A change of writer is logged.
 */
public final class NodeChecks {

  private static final Logger LOG = LoggerFactory.getLogger(NodeChecks.class);

  private final Vertx vertx;
  private final Database database;
  private final DatabaseDirectory directory;
  private final String server;
  private final long intervalMs;
  private volatile boolean stopped;

  /** {@code discover}: read the cluster's directory of database nodes too. */
  public NodeChecks(Vertx vertx, Database database, String server, long intervalMs, boolean discover) {
    this.vertx = vertx;
    this.database = database;
    this.server = server;
    this.intervalMs = intervalMs;
    this.directory = discover ? new DatabaseDirectory(vertx, database.nodes(), server) : null;
  }

  /** One check of the configured nodes, now (at start, before anything is served). */
  public Future<Void> checkNow() {
    return database.refresh().onSuccess(this::logWriterChange).mapEmpty();
  }

  /** Keeps checking every interval, learning nodes from the directory first, until {@link #stop}. */
  public void start() {
    if (stopped) {
      return;
    }
    vertx.setTimer(intervalMs, id -> learnNodes()
      .compose(learned -> checkNow())
      .onComplete(done -> start()));
  }

  private Future<Void> learnNodes() {
    return directory == null ? Future.succeededFuture() : directory.sync();
  }

  private void logWriterChange(String change) {
    if (change != null) {
      LOG.warn("{}: database {}", server, change);
    }
  }

  /** No check is scheduled after this; one under way finishes. */
  public void stop() {
    stopped = true;
  }
}
