package com.foobar.platform.lb;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks: every interval, a GET of the check path on each backend, bounded by a timeout. A 2xx or
 * 3xx answer passes; anything else, or no answer in time, fails. One check per backend is in flight at a time.
 */
final class HealthChecker {

  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final Vertx vertx;
  private final BackendPool pool;
  private final LoadBalancerOptions options;
  private final HttpClient client;
  private volatile boolean stopped;

  /** Checks share the proxy's client: one pool (and one set of pool metrics) per backend. */
  HealthChecker(Vertx vertx, HttpClient client, BackendPool pool, LoadBalancerOptions options) {
    this.vertx = vertx;
    this.client = client;
    this.pool = pool;
    this.options = options;
  }

  void start() {
    pool.all().forEach(this::scheduleCheck);
  }

  private void scheduleCheck(Backend backend) {
    if (!stopped) {
      vertx.setTimer(options.getHealthCheckInterval(), id -> check(backend).onComplete(done -> scheduleCheck(backend)));
    }
  }

  Future<Void> check(Backend backend) {
    RequestOptions request = new RequestOptions()
      .setMethod(HttpMethod.GET)
      .setServer(backend.address())
      .setHost(backend.address().host())
      .setPort(backend.address().port())
      .setURI(options.getHealthCheckPath())
      .setConnectTimeout(options.getHealthCheckTimeout())
      .setTimeout(options.getHealthCheckTimeout());
    return client.request(request)
      .compose(req -> req.send())
      .compose(response -> response.body().map(body -> response.statusCode()))
      .map(status -> status >= 200 && status < 400 ? null : "health check answered " + status)
      .otherwise(failure -> "health check failed: " + failure.getMessage())
      .map(error -> {
        record(backend, error);
        return null;
      });
  }

  private void record(Backend backend, String error) {
    if (error == null) {
      if (backend.recordSuccess()) {
        LOG.info("backend {} is UP again", backend.name());
      }
    } else if (backend.recordFailure(error)) {
      LOG.warn("backend {} is DOWN: {}", backend.name(), error);
    }
  }

  void stop() {
    stopped = true;
  }
}
