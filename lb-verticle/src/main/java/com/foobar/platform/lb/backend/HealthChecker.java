package com.foobar.platform.lb.backend;

import com.foobar.platform.lb.LoadBalancerOptions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks (HAProxy's {@code option httpchk} with {@code inter}/{@code rise}/{@code fall}): every
 * interval, the configured method and path on each backend with the configured Host header, bounded by a
 * timeout. The expected status passes (any 2xx/3xx when none is set); anything else, or no answer in time,
 * fails. One check per backend is in flight at a time; a backend in MAINT is not checked (as in HAProxy), a
 * removed one no more.
 */
public final class HealthChecker {

  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final Vertx vertx;
  private final BackendPool pool;
  /** The current configuration: a reload changes the checks from their next round on. */
  private final java.util.function.Supplier<LoadBalancerOptions> settings;
  private final HttpClient client;
  private volatile boolean stopped;

  public HealthChecker(Vertx vertx, HttpClient client, BackendPool pool,
                java.util.function.Supplier<LoadBalancerOptions> settings) {
    this.vertx = vertx;
    this.client = client;
    this.pool = pool;
    this.settings = settings;
  }

  void start(Backend backend) {
    LoadBalancerOptions options = settings.get();
    vertx.setTimer(options.healthCheckIntervalMs(), id -> {
      if (stopped || !pool.all().contains(backend)) {
        return;
      }
      Future<Void> done = backend.admin() == Backend.Admin.MAINT ? Future.succeededFuture() : check(backend);
      done.onComplete(ignored -> start(backend));
    });
  }

  Future<Void> check(Backend backend) {
    LoadBalancerOptions options = settings.get();
    String host = options.healthCheckHost().isEmpty() ? backend.name() : options.healthCheckHost();
    RequestOptions request = new RequestOptions()
      .setMethod(HttpMethod.valueOf(options.healthCheckMethod()))
      .setServer(backend.address())
      .setHost(backend.address().host())
      .setPort(backend.address().port())
      .setURI(options.healthCheckPath())
      .putHeader("Host", host)
      .putHeader("User-Agent", "foobar-lb-check")
      .setConnectTimeout(options.healthCheckTimeoutMs())
      .setTimeout(options.healthCheckTimeoutMs());
    long start = System.nanoTime();
    return client.request(request)
      .compose(req -> req.send())
      .compose(response -> response.body().map(body -> response.statusCode()))
      .map(status -> {
        record(backend, status, start, passes(status) ? null : "health check answered " + status);
        return (Void) null;
      })
      .recover(failure -> {
        record(backend, 0, start, lateButAnswering(backend, failure, start) ? null
          : "health check failed: " + failure.getMessage());
        return Future.succeededFuture();
      });
  }

  /**
   * A check that timed out while the backend kept answering forwarded requests well is no evidence against it: under
   * a burst the balancer's own busy event loops are what made the check late (HAProxy runs checks on its loops too,
   * and times them out after {@code inter}, 2 s by default). Taking both servers out then turned a burst into 503s.
   * A backend that is really hung answers nothing, so its checks still fail; a refused connection or a bad status
   * always counts.
   */
  private static boolean lateButAnswering(Backend backend, Throwable failure, long startNanos) {
    return failure instanceof TimeoutException && backend.answeredSince(startNanos);
  }

  private boolean passes(int status) {
    int expected = settings.get().healthCheckExpectedStatus();
    return expected == 0 ? status >= 200 && status < 400 : status == expected;
  }

  private void record(Backend backend, int status, long startNanos, String error) {
    backend.checked(status, (System.nanoTime() - startNanos) / 1_000_000, error);
    if (error == null) {
      if (backend.recordSuccess()) {
        LOG.info("backend {} is UP again", backend.name());
      }
    } else if (backend.recordFailure(error)) {
      LOG.warn("backend {} is DOWN: {}", backend.name(), error);
    }
  }

  public void stop() {
    stopped = true;
  }
}
