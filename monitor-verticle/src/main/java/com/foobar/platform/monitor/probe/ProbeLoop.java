package com.foobar.platform.monitor.probe;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs every probe in parallel once per round, each bounded by the timeout, and records what they found. The
 * next round is scheduled only when the current one has completed, so rounds never overlap; it starts one
 * interval after the previous round started, or at once when a round took longer than that.
 */
public final class ProbeLoop {

  private final Vertx vertx;
  private final List<Probe> probes;
  private final RoundRecorder recorder;
  private final ProbeMetrics metrics;
  private final long intervalMs;
  private final long timeoutMs;
  private final List<Supplier<Future<Void>>> tasks = new ArrayList<>();
  private Consumer<Instant> afterRound = at -> { };
  private long timerId = -1;
  private boolean stopped;

  ProbeLoop(Vertx vertx, List<Probe> probes, RoundRecorder recorder, ProbeMetrics metrics, long intervalMs,
            long timeoutMs) {
    this.vertx = vertx;
    this.probes = List.copyOf(probes);
    this.recorder = recorder;
    this.metrics = metrics;
    this.intervalMs = intervalMs;
    this.timeoutMs = timeoutMs;
  }

  /** The loop over every probe of {@code plan}, recording into {@code recorder} and {@code metrics}. */
  public static ProbeLoop create(Vertx vertx, WebClient client, ProbePlan plan, RoundRecorder recorder,
                                 ProbeMetrics metrics) {
    return new ProbeLoop(vertx, plan.probes(vertx, client, metrics), recorder, metrics, plan.intervalMs(),
      plan.timeoutMs());
  }

  /** Runs {@code task} in every round next to the probes (the balancer traffic scrape); it must not fail. */
  public ProbeLoop alsoRun(Supplier<Future<Void>> task) {
    tasks.add(task);
    return this;
  }

  /** Called on the event loop when a round has been recorded (the alert rules). */
  public ProbeLoop afterRound(Consumer<Instant> listener) {
    this.afterRound = listener;
    return this;
  }

  /** Starts the first round now. Call on the verticle's context: all state is confined to its event loop. */
  public void start() {
    runRound();
  }

  public void stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  /** Closes every probe (after {@link #stop()}); the synthetic one still deletes its last probe post. */
  public Future<Void> close() {
    return Future.join(probes.stream().map(Probe::close).toList()).mapEmpty();
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
      recorder.roundCompleted(now);
      afterRound.accept(now);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      timerId = vertx.setTimer(Math.max(1, intervalMs - elapsedMs), id -> runRound());
    });
  }

  private Future<Void> check(Probe probe) {
    long started = System.nanoTime();
    return bounded(probe)
      .otherwise(failure -> probe.failed(failure instanceof TimeoutException
        ? "no answer within " + timeoutMs + " ms" : Failures.describe(failure)))
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
    long timer = vertx.setTimer(probe.boundMs(timeoutMs), id -> result.tryFail(new TimeoutException("probe timed out")));
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
      recorder.record(component, observation, now);
      metrics.record(component, observation);
    }
  }
}
