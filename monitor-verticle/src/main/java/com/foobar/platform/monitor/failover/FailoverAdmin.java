package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.DatabaseSecrets;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.monitor.maintenance.MaintenanceBoard;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Starts the failover manager for the monitor (and, under {@code -cluster}, the {@link TopologyPublisher}) and
 * serves its operations: {@code GET /admin/failover} (writer, epoch, durability, errant nodes, each node, the last
 * election, recent decisions), {@code POST /admin/switchover {"target": "replica-1"}} (planned) and
 * {@code POST /admin/failover {"target": "replica-1"}} (an operator's promotion while the writer is lost, when
 * the manager holds it back). What goes wrong is a {@link FailoverException}; the monitor maps it to HTTP.
 */
public final class FailoverAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverAdmin.class);

  private FailoverManager manager;
  private TopologyPublisher topology;

  /**
   * Creates and starts the manager when its credentials can be read. Without them switchover is unavailable,
   * and a configuration that turns automatic failover on is an error.
   */
  public Future<Void> start(Vertx vertx, Map<String, MySQLConnectOptions> nodes, FailoverOptions options) {
    return Future.all(secret(vertx, options.password(), options.passwordFile()),
        secret(vertx, options.replicationPassword(), options.replicationPasswordFile()))
      .compose(secrets -> begin(vertx, nodes, options, secrets.resultAt(0), secrets.resultAt(1)));
  }

  private Future<Void> begin(Vertx vertx, Map<String, MySQLConnectOptions> nodes, FailoverOptions options,
                             String password, String replication) {
    if (password == null || replication == null) {
      if (options.enabled()) {
        return Future.failedFuture(new IllegalArgumentException("failover is enabled but its passwords cannot be read"
          + " (failover.passwordFile " + options.passwordFile() + ", failover.replicationPasswordFile "
          + options.replicationPasswordFile() + ")"));
      }
      LOG.info("failover manager off: no credentials (failover.passwordFile)");
      return Future.succeededFuture();
    }
    manager = FailoverManager.create(vertx, nodes, options, password, replication, PlatformMetrics.registry());
    manager.start();
    LOG.info("failover manager on: automatic failover {} after {} ms", options.enabled() ? "enabled" : "disabled",
      options.failAfterMs());
    if (vertx.isClustered()) {
      topology = new TopologyPublisher(vertx, manager, options.checkIntervalMs());
      topology.start();
    }
    return Future.succeededFuture();
  }

  /** A password given in the options, or read from its file; null when neither is there. */
  private static Future<String> secret(Vertx vertx, String value, String file) {
    if (value != null && !value.isEmpty()) {
      return Future.succeededFuture(value);
    }
    return DatabaseSecrets.read(vertx, file, "failover password file").otherwiseEmpty();
  }

  /** The database tier's durability as the manager sees it; null when it does not run. */
  public DatabaseHealth health() {
    return manager == null ? null : manager.health();
  }

  /**
   * A switchover is planned work: the database is in maintenance (who asked, as {@code "by"} says, with the token
   * id and address) while it runs and for {@code settleMs} after, while replication restarts and roles move.
   */
  public void mount(Router router, MaintenanceBoard maintenance, long settleMs) {
    router.get("/admin/failover").handler(ctx -> running().map(FailoverManager::describe)
      .onSuccess(ctx::json).onFailure(ctx::fail));
    router.post("/admin/switchover").handler(BodyHandler.create().setBodyLimit(4096));
    router.post("/admin/switchover").handler(ctx -> target(ctx, (manager, target) -> {
      maintenance.databaseBegins("switchover to " + target, by(ctx));
      return manager.switchover(target)
        .onComplete(done -> maintenance.databaseEnds(Instant.now().plusMillis(settleMs)));
    }));
    router.post("/admin/failover").handler(BodyHandler.create().setBodyLimit(4096));
    router.post("/admin/failover").handler(ctx -> target(ctx, FailoverManager::failover));
  }

  /** {@code {"target": "replica-1"}}: the node to make the writer, by switchover or by forced failover. */
  private void target(RoutingContext ctx, BiFunction<FailoverManager, String, Future<JsonObject>> action) {
    targetOf(ctx)
      .compose(target -> running().compose(running -> action.apply(running, target)))
      .onSuccess(ctx::json)
      .onFailure(ctx::fail);
  }

  /** Who asked: the body's {@code "by"} when it is a short text, and always the token's id and the address. */
  private static String by(RoutingContext ctx) {
    String from = ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
    String who = "token=" + ManagementToken.idOfHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
      + " from=" + from;
    Object said = bodyOf(ctx) instanceof JsonObject json ? json.getValue("by") : null;
    return said instanceof String text && !text.isBlank() && text.length() <= 200 && text.chars().allMatch(c -> c >= 32)
      ? text + " (" + who + ")" : who;
  }

  private static Object bodyOf(RoutingContext ctx) {
    try {
      return ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
    } catch (RuntimeException notAnObject) {
      return null;
    }
  }

  private static Future<String> targetOf(RoutingContext ctx) {
    Object body = bodyOf(ctx);
    String target = body instanceof JsonObject json && json.getValue("target") instanceof String text ? text : null;
    return target == null || target.isBlank()
      ? Future.failedFuture(new FailoverException.TargetRequired("send {\"target\": \"<node>\"}: the node to make the"
        + " writer, such as replica-1"))
      : Future.succeededFuture(target);
  }

  private Future<FailoverManager> running() {
    return manager == null ? Future.failedFuture(new FailoverException.ManagerOff()) : Future.succeededFuture(manager);
  }

  public Future<Void> stop() {
    if (topology != null) {
      topology.stop();
    }
    return manager == null ? Future.succeededFuture() : manager.stop();
  }
}
