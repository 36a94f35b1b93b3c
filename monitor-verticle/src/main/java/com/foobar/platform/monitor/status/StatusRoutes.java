package com.foobar.platform.monitor.status;

import com.foobar.platform.common.ManagementEndpoints;
import com.foobar.platform.monitor.alert.Alerting;
import com.foobar.platform.monitor.failover.DatabaseHealth;
import com.foobar.platform.monitor.maintenance.MaintenanceBoard;
import com.foobar.platform.monitor.traffic.BalancerTraffic;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The monitor's own routes, mounted next to the management ones ({@code /metrics}, {@code /health*}):
 * {@code GET /api/status} (components, alerts, the components in planned maintenance and who started it, the balancer's traffic, the database's durability: writer, epoch,
 * semi-sync, errant nodes, failovers) and the status page at {@code GET /}; and the monitor's own health checks.
 * {@code traffic} is null when the balancer's metrics are not scraped; {@code database} gives null when the
 * failover manager does not run.
 */
public record StatusRoutes(StatusBoard board, Buffer page, Alerting alerts, BalancerTraffic traffic,
                           Supplier<DatabaseHealth> database, MaintenanceBoard maintenance) {

  /** The status page, a class-path resource. */
  public static final String PAGE_RESOURCE = "monitor/index.html";
  /**
   * The page is self-contained: its inline script may only call back to this origin, and nothing else loads.
   * Inline code is allowed because the page is ours and inserts every server-provided string as text.
   */
  static final String PAGE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  public void mount(Router router) {
    router.get("/api/status").handler(this::status);
    router.get("/").handler(this::page);
  }

  /**
   * Ready once a round completed; healthy while rounds keep completing within {@code staleAfter} (the monitored
   * components' state is what the monitor reports, not its own health).
   */
  public void registerChecks(ManagementEndpoints management, Duration staleAfter) {
    management.readiness().register("probe-loop", promise -> promise.complete(board.rounds() > 0
      ? Status.OK(board.loopState()) : Status.KO(board.loopState())));
    management.health().register("probe-loop", promise -> promise.complete(board.isFresh(staleAfter)
      ? Status.OK(board.loopState()) : Status.KO(board.loopState())));
  }

  private void status(RoutingContext ctx) {
    String history = ctx.queryParams().get("history");
    if (history != null && !history.equals("true") && !history.equals("false")) {
      ctx.fail(new StatusException.BadParameter("history", "history must be true or false"));
      return;
    }
    if (board.rounds() == 0) {
      ctx.fail(new StatusException.NotReady());
      return;
    }
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    ctx.json(status(!"false".equals(history)));
  }

  private JsonObject status(boolean withHistory) {
    JsonObject status = board.toJson(withHistory).put("alerts", alerts.toJson())
      .put("maintenance", maintenance.toJson(Instant.now()));
    DatabaseHealth health = database.get();
    status.put("database", health == null ? null : health.toJson());
    if (traffic != null) {
      JsonObject trafficJson = traffic.toJson();
      if (!withHistory) {
        trafficJson.remove("history");
      }
      status.put("traffic", trafficJson);
    }
    return status;
  }

  private void page(RoutingContext ctx) {
    ctx.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
      .putHeader("Content-Security-Policy", PAGE_POLICY)
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer")
      .end(page);
  }
}
