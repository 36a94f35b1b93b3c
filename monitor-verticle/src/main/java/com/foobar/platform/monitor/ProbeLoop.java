package com.foobar.platform.monitor;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every probe in parallel once per round, each bounded by the timeout, and records what they found. The
 * next round is scheduled only when the current one has completed, so rounds never overlap; it starts one
 * interval after the previous round started, or at once when a round took longer than that.
 */
final class ProbeLoop {

  private final Vertx vertx;
  private final List<Probe> probes;
  private final StatusBoard board;
  private final MonitorMetrics metrics;
  private final long intervalMs;
  private final long timeoutMs;
  private final List<Supplier<Future<Void>>> tasks = new ArrayList<>();
  private Consumer<Instant> afterRound = at -> { };
  private long timerId = -1;
  private boolean stopped;

  ProbeLoop(Vertx vertx, List<Probe> probes, StatusBoard board, MonitorMetrics metrics, long intervalMs,
            long timeoutMs) {
    this.vertx = vertx;
    this.probes = probes;
    this.board = board;
    this.metrics = metrics;
    this.intervalMs = intervalMs;
    this.timeoutMs = timeoutMs;
  }

  /** Runs {@code task} in every round next to the probes (the balancer traffic scrape); it must not fail. */
  ProbeLoop alsoRun(Supplier<Future<Void>> task) {
    tasks.add(task);
    return this;
  }

  /** Called on the event loop when a round has been recorded (the alert rules). */
  ProbeLoop afterRound(Consumer<Instant> listener) {
    this.afterRound = listener;
    return this;
  }

  /** Starts the first round now. Call on the verticle's context: all state is confined to its event loop. */
  void start() {
    runRound();
  }

  void stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private void runRound() {
    if (stopped) {
      return;
    }
    long started = System.nanoTime();
    List<Future<Void>> checks = new ArrayList<>(probes.stream().map(this::check).toList());
    tasks.forEach(task -> checks.add(task.get()));
    // join, not all: every probe is recorded even when another fails; check() never fails anyway.
    Future.join(checks).onComplete(done -> {
      if (stopped) {
        return;
      }
      Instant now = Instant.now();
      board.roundCompleted(now);
      afterRound.accept(now);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      timerId = vertx.setTimer(Math.max(1, intervalMs - elapsedMs), id -> runRound());
    });
  }

  private Future<Void> check(Probe probe) {
    long started = System.nanoTime();
    return bounded(probe)
      .otherwise(failure -> probe.failed(failure instanceof TimeoutException
        ? "no answer within " + timeoutMs + " ms" : describe(failure)))
      .map(observations -> {
        record(probe, observations, System.nanoTime() - started);
        return null;
      });
  }

  /**
   * The probe's answer, or a timeout failure after timeoutMs. The timer is set from the verticle's event loop and
   * fires there, so whichever completes first does so on the loop that owns the state.
   */
  private Future<Map<String, Observation>> bounded(Probe probe) {
    Promise<Map<String, Observation>> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> result.tryFail(new TimeoutException("probe timed out")));
    Future<Map<String, Observation>> answer;
    try {
      answer = probe.run();
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.succeeded()) {
        result.tryComplete(done.result());
      } else {
        result.tryFail(done.cause());
      }
    });
    return result.future();
  }

  private void record(Probe probe, Map<String, Observation> observations, long nanos) {
    if (stopped) {
      return;
    }
    Instant now = Instant.now();
    long latencyMs = TimeUnit.NANOSECONDS.toMillis(nanos);
    metrics.recordDuration(probe.components().get(0), nanos);
    for (Component component : probe.components()) {
      Observation observation = observations.get(component.name());
      if (observation == null) {
        observation = Observation.down(null, "the probe reported nothing about " + component.name());
      }
      observation = observation.withLatency(latencyMs);
      board.record(component, observation, now);
      metrics.record(component, observation);
    }
  }

  /** A one-line reason for a failed probe, for the page and the log. */
  static String describe(Throwable failure) {
    String message = failure.getMessage() == null || failure.getMessage().isBlank()
      ? failure.getClass().getSimpleName() : failure.getMessage();
    if (failure instanceof MySQLException) {
      // Its message is "{errorMessage=..., errorCode=..., sqlState=...}": keep the server's words and the code.
      int start = message.indexOf("errorMessage=");
      int end = message.lastIndexOf(", errorCode=");
      String text = start >= 0 && end > start ? message.substring(start + "errorMessage=".length(), end) : message;
      return text + " (MySQL error " + ((MySQLException) failure).getErrorCode() + ")";
    }
    return message;
  }
}
