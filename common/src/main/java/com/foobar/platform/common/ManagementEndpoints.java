package com.foobar.platform.common;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.Future;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.Optional;

/**
 * The management side of a tier, on its own port: {@code /metrics} (Prometheus exposition),
 * {@code /health/live} (the process works), {@code /health/ready} (it can serve) and {@code /health} (every
 * component it depends on is up, one check each). All answer 200 when up and 503 when down, with a JSON body
 * listing each check. A tier registers its checks and may mount more routes (admin) on the router.
 *
 * <p>{@code /admin/*} and {@code /metrics} are guarded by the {@link ManagementToken} bearer token (admin always,
 * metrics once a token is configured); the guard is the router's first route, so admin routes a tier mounts later
 * are covered too.
 */
public final class ManagementEndpoints {

  private final Router router;
  private final HealthChecks readiness;
  private final HealthChecks health;

  public ManagementEndpoints(Vertx vertx) {
    this(vertx, ManagementToken.configured());
  }

  /** With an explicit token (empty: admin refused, metrics open). */
  public ManagementEndpoints(Vertx vertx, Optional<String> token) {
    this.router = Router.router(vertx);
    router.route("/admin/*").handler(ManagementToken.guard(token, true));
    router.route("/metrics").handler(ManagementToken.guard(token, false));
    this.readiness = HealthChecks.create(vertx);
    this.health = HealthChecks.create(vertx);
    HealthChecks liveness = HealthChecks.create(vertx)
      .register("event-loop", promise -> promise.complete(Status.OK()));
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(health));
    router.route().failureHandler(ErrorResponses.failureHandler(failure -> Optional.empty()));
  }

  public Router router() {
    return router;
  }

  /** Checks that together say whether the tier can serve ({@code /health/ready}). */
  public HealthChecks readiness() {
    return readiness;
  }

  /** One check per component the tier depends on ({@code /health}). */
  public HealthChecks health() {
    return health;
  }

  /** Starts the management server; its default host is loopback so it is never public by accident. */
  public Future<HttpServer> listen(Vertx vertx, HttpServerOptions options) {
    return vertx.createHttpServer(options).requestHandler(router).listen();
  }
}
