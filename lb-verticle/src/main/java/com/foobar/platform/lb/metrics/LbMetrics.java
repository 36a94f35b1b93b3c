package com.foobar.platform.lb.metrics;

import com.foobar.platform.lb.backend.Backend;
import com.foobar.platform.lb.forward.Termination;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The balancer's own series, named after what the HAProxy exporter reports: per backend
 * ({@code haproxy_server_up}, {@code _current_sessions}, {@code _current_queue}, {@code _http_responses_total{code}},
 * {@code _retry_warnings}, {@code _redispatch_warnings}, {@code _check_failures_total}, response-time histogram)
 * and for the frontend, i.e. what clients saw ({@code haproxy_frontend_http_responses_total{code}},
 * {@code _current_sessions}, {@code _connections_total}, plus a response-time histogram). Labels are bounded:
 * {@code backend} is one of the configured or admin-added backends, {@code code} one of 1xx..5xx/other,
 * {@code state} one of four, {@code reason} one of a fixed set.
 *
 * <p>The frontend series replace Vert.x's own HTTP server and client meters in this tier (switched off in
 * {@code META-INF/foobar/tier.properties}): those look a tagged meter up in the registry on every request,
 * which cost about a tenth of the balancer's throughput, and their timers carry no buckets.
 */
public final class LbMetrics {

  private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10)};
  private static final String[] CODES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry registry;
  private final Counter retries;
  private final Counter redispatches;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Map<String, PerBackend> backends = new ConcurrentHashMap<>();
  private final Counter[] frontendResponses = new Counter[CODES.length];
  private final Timer frontendTime;
  private final Counter connections;
  private final Counter[] terminations = new Counter[Termination.values().length];
  private final AtomicLong currentConnections = new AtomicLong();

  public LbMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (int i = 0; i < CODES.length; i++) {
      frontendResponses[i] = Counter.builder("foobar_lb_frontend_http_responses")
        .description("Responses sent to clients by status class (other: the client left before the response)")
        .tag("code", CODES[i]).register(registry);
    }
    this.frontendTime = Timer.builder("foobar_lb_frontend_response_time")
      .description("Time from a client request's head to the end of its response, as clients saw it")
      .serviceLevelObjectives(BUCKETS).register(registry);
    this.connections = Counter.builder("foobar_lb_frontend_connections")
      .description("Client connections accepted (after the per-client connection cap)").register(registry);
    Gauge.builder("foobar_lb_frontend_current_sessions", currentConnections, AtomicLong::get)
      .description("Client connections open now").register(registry);
    for (Termination termination : Termination.values()) {
      terminations[termination.ordinal()] = Counter.builder("foobar_lb_terminations")
        .description("Client requests by how they ended (HAProxy's termination states): side client, server, "
          + "balancer or none (completed)")
        .tag("side", termination.side()).tag("reason", termination.reason()).register(registry);
    }
    this.retries = Counter.builder("foobar_lb_retries")
      .description("Attempts sent again after a failed attempt (HAProxy's retry warnings)").register(registry);
    this.redispatches = Counter.builder("foobar_lb_redispatches")
      .description("Requests moved to another backend than the one first chosen (HAProxy's redispatch warnings)")
      .register(registry);
  }

  public void retried(boolean toAnotherBackend) {
    retries.increment();
    if (toAnotherBackend) {
      redispatches.increment();
    }
  }

  /** A client request finished: {@code status} 0 when the client left before its response was complete. */
  public void frontendResponded(int status, long nanos) {
    frontendResponses[codeClass(status)].increment();
    frontendTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A client request ended as {@code termination}. */
  public void terminated(Termination termination) {
    terminations[termination.ordinal()].increment();
  }

  public void connectionOpened() {
    connections.increment();
    currentConnections.incrementAndGet();
  }

  public void connectionClosed() {
    currentConnections.decrementAndGet();
  }

  /** A request the balancer answered itself before it became one (the decoder refused its head). */
  public void refusedUnread(String reason) {
    rejected(reason);
    terminated(Termination.LOCAL_REFUSED);
  }

  /** A connection sent no complete request head in time (answered 408). */
  public void headTimedOut() {
    rejected("request_timeout");
    terminated(Termination.CLIENT_TIMEOUT);
  }

  private static int codeClass(int status) {
    return status >= 100 && status < 600 ? status / 100 : 0;
  }

  /** Requests refused before reaching a backend: queue_full, queue_timeout, no_backend, body_too_large, ... */
  public void rejected(String reason) {
    rejected.computeIfAbsent(reason, r -> Counter.builder("foobar_lb_rejected_requests")
      .description("Requests the balancer answered itself without a backend response").tag("reason", r)
      .register(registry)).increment();
  }

  public void register(Backend backend) {
    backends.computeIfAbsent(backend.name(), name -> new PerBackend(backend));
  }

  public void unregister(Backend backend) {
    PerBackend meters = backends.remove(backend.name());
    if (meters != null) {
      meters.all.forEach(registry::remove);
    }
  }

  /** A response relayed from {@code backend}: its status class and the time to its headers. */
  public void responded(Backend backend, int status, long nanos) {
    PerBackend meters = backends.get(backend.name());
    if (meters != null) {
      meters.responses[codeClass(status)].increment();
      meters.responseTime.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private final class PerBackend {
    final List<Meter> all = new ArrayList<>();
    final Counter[] responses = new Counter[CODES.length];
    final Timer responseTime;

    PerBackend(Backend b) {
      String name = b.name();
      all.add(Gauge.builder("foobar_lb_backend_up", b, x -> x.isUp() ? 1 : 0)
        .description("1 while the backend passes its health checks, 0 when they or passive checks took it out")
        .tag("backend", name).register(registry));
      for (Backend.State state : Backend.State.values()) {
        all.add(Gauge.builder("foobar_lb_backend_state", b, x -> x.state() == state ? 1 : 0)
          .description("1 for the backend's current state (UP, DOWN, DRAIN, MAINT)")
          .tag("backend", name).tag("state", state.name()).register(registry));
      }
      all.add(Gauge.builder("foobar_lb_backend_current_sessions", b, Backend::active)
        .description("Requests in flight to the backend").tag("backend", name).register(registry));
      all.add(Gauge.builder("foobar_lb_backend_current_queue", b, x -> x.slots().queued())
        .description("Requests waiting for a slot on the backend").tag("backend", name).register(registry));
      all.add(Gauge.builder("foobar_lb_backend_weight", b, Backend::weight)
        .description("Configured weight of the backend").tag("backend", name).register(registry));
      all.add(FunctionCounter.builder("foobar_lb_backend_check_failures", b, Backend::checkFailures)
        .description("Failed active health checks").tag("backend", name).register(registry));
      all.add(FunctionCounter.builder("foobar_lb_backend_sessions", b, Backend::requests)
        .description("Requests sent to the backend, retries included").tag("backend", name).register(registry));
      for (int i = 0; i < CODES.length; i++) {
        responses[i] = Counter.builder("foobar_lb_backend_http_responses")
          .description("Responses relayed from the backend by status class").tag("backend", name)
          .tag("code", CODES[i]).register(registry);
        all.add(responses[i]);
      }
      responseTime = Timer.builder("foobar_lb_backend_response_time")
        .description("Time from choosing the backend to its response headers").tag("backend", name)
        .serviceLevelObjectives(BUCKETS).register(registry);
      all.add(responseTime);
    }
  }
}
