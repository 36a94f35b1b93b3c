package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.DatabaseSecrets;
import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.common.PlatformMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Starts the failover manager for the monitor and serves its operations: {@code GET /admin/failover} (writer,
 * epoch, durability, errant nodes, each node, the last election, recent decisions),
 * {@code POST /admin/switchover {"target": "replica-1"}} (planned) and {@code POST /admin/failover {"target":
 * "replica-1"}} (an operator's promotion while the writer is lost, when the manager holds it back).
 */
public final class FailoverAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverAdmin.class);

  private FailoverManager manager;

  /**
   * Creates and starts the manager when its credentials can be read. Without them switchover is unavailable,
   * and a configuration that turns automatic failover on is an error.
   */
  public Future<Void> start(Vertx vertx, Map<String, MySQLConnectOptions> nodes, FailoverOptions options) {
    return Future.all(secret(vertx, options.getPassword(), options.getPasswordFile()),
        secret(vertx, options.getReplicationPassword(), options.getReplicationPasswordFile()))
      .compose(secrets -> begin(vertx, nodes, options, secrets.resultAt(0), secrets.resultAt(1)));
  }

  private Future<Void> begin(Vertx vertx, Map<String, MySQLConnectOptions> nodes, FailoverOptions options,
                             String password, String replication) {
    if (password == null || replication == null) {
      if (options.isEnabled()) {
        return Future.failedFuture(new IllegalArgumentException("failover is enabled but its passwords cannot be read"
          + " (failover.passwordFile " + options.getPasswordFile() + ", failover.replicationPasswordFile "
          + options.getReplicationPasswordFile() + ")"));
      }
      LOG.info("failover manager off: no credentials (failover.passwordFile)");
      return Future.succeededFuture();
    }
    manager = FailoverManager.create(vertx, nodes, options, password, replication, PlatformMetrics.registry());
    manager.start();
    LOG.info("failover manager on: automatic failover {} after {} ms", options.isEnabled() ? "enabled" : "disabled",
      options.getFailAfter());
    return Future.succeededFuture();
  }

  /** A password given in the options, or read from its file; null when neither is there. */
  private static Future<String> secret(Vertx vertx, String value, String file) {
    if (value != null && !value.isEmpty()) {
      return Future.succeededFuture(value);
    }
    return DatabaseSecrets.read(vertx, file, "failover password file").otherwiseEmpty();
  }


  /** The running manager, or null when there are no failover credentials. */
  public FailoverManager manager() {
    return manager;
  }

  public void mount(Router router) {
    router.get("/admin/failover").handler(ctx -> withManager(ctx).onSuccess(m -> ctx.json(m.describe())));
    router.post("/admin/switchover").handler(BodyHandler.create().setBodyLimit(4096));
    router.post("/admin/switchover").handler(ctx -> target(ctx, FailoverManager::switchover));
    router.post("/admin/failover").handler(BodyHandler.create().setBodyLimit(4096));
    router.post("/admin/failover").handler(ctx -> target(ctx, FailoverManager::failover));
  }

  /** {@code {"target": "replica-1"}}: the node to make the writer, by switchover or by forced failover. */
  private void target(RoutingContext ctx, java.util.function.BiFunction<FailoverManager, String,
    Future<JsonObject>> action) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      ctx.fail(HttpStatusException.badRequest(null, "send {\"target\": \"<node>\"} as JSON"));
      return;
    }
    String target = body == null ? null : body.getString("target");
    if (target == null || target.isBlank()) {
      ctx.fail(HttpStatusException.badRequest("target", "target is required (a node name such as replica-1)"));
      return;
    }
    withManager(ctx).compose(m -> action.apply(m, target)).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private Future<FailoverManager> withManager(RoutingContext ctx) {
    if (manager == null) {
      ctx.fail(HttpStatusException.unavailable("failover_off",
        "the failover manager is not running (no failover credentials)", 60, null));
      return Future.failedFuture("no manager");
    }
    return Future.succeededFuture(manager);
  }

  public Future<Void> stop() {
    return manager == null ? Future.succeededFuture() : manager.stop();
  }
}
