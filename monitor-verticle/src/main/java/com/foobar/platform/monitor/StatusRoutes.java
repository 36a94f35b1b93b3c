package com.foobar.platform.monitor;

import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.monitor.failover.DatabaseHealth;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * The monitor's own routes, mounted next to the management ones ({@code /metrics}, {@code /health*}):
 * {@code GET /api/status} (components, alerts, the balancer's traffic, the database's durability: writer, epoch,
 * semi-sync, errant nodes, failovers) and the status page at {@code GET /}.
 */
final class StatusRoutes {

  /**
   * The page is self-contained: its inline script may only call back to this origin, and nothing else loads.
   * Inline code is allowed because the page is ours and inserts every server-provided string as text.
   */
  static final String PAGE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final StatusBoard board;
  private final Buffer page;
  private final AlertEngine alerts;
  private final BalancerTraffic traffic;
  private final Supplier<DatabaseHealth> database;

  /**
   * {@code traffic} is null when the balancer's metrics are not scraped; {@code database} gives null when the
   * failover manager does not run.
   */
  StatusRoutes(StatusBoard board, Buffer page, AlertEngine alerts, BalancerTraffic traffic,
               Supplier<DatabaseHealth> database) {
    this.board = board;
    this.page = page;
    this.alerts = alerts;
    this.traffic = traffic;
    this.database = database;
  }

  void mount(Router router) {
    router.get("/api/status").handler(this::status);
    router.get("/").handler(this::page);
    router.errorHandler(404, ctx -> ErrorResponses.send(ctx.response(), HttpStatusException.notFound("no such page")));
    router.errorHandler(405, ctx -> ErrorResponses.send(ctx.response(),
      new HttpStatusException(405, "method_not_allowed", "method not allowed on this resource")));
  }

  private void status(RoutingContext ctx) {
    String history = ctx.queryParams().get("history");
    if (history != null && !history.equals("true") && !history.equals("false")) {
      ctx.fail(HttpStatusException.badRequest("history", "history must be true or false"));
      return;
    }
    if (board.rounds() == 0) {
      // Before the first round every component would read as down: say "not yet" instead of a false outage.
      ctx.fail(HttpStatusException.unavailable("not_ready", "the first probe round has not completed yet", 1, null));
      return;
    }
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    boolean withHistory = !"false".equals(history);
    JsonObject status = board.toJson(withHistory).put("alerts", alerts.toJson());
    DatabaseHealth health = database.get();
    status.put("database", health == null ? null : health.toJson());
    if (traffic != null) {
      JsonObject trafficJson = traffic.toJson();
      if (!withHistory) {
        trafficJson.remove("history");
      }
      status.put("traffic", trafficJson);
    }
    ctx.json(status);
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
