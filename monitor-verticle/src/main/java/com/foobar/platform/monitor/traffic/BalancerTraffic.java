package com.foobar.platform.monitor.traffic;

import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.monitor.probe.Failures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The site's request rate, 5xx ratio, mean and p95 latency, derived each round from the balancer's frontend
 * series ({@code foobar_lb_frontend_http_responses_total{code}} and the
 * {@code foobar_lb_frontend_response_time_seconds} histogram: what clients saw, the management port excluded):
 * the difference between two scrapes over the time between them. Keeps a bounded history for the page and
 * answers window aggregates for the alert rules. Only touched on the monitor's event loop.
 */
public final class BalancerTraffic {

  static final String RESPONSES = "foobar_lb_frontend_http_responses_total";
  static final String LATENCY_SUM = "foobar_lb_frontend_response_time_seconds_sum";
  static final String LATENCY_COUNT = "foobar_lb_frontend_response_time_seconds_count";
  static final String LATENCY_BUCKET = "foobar_lb_frontend_response_time_seconds_bucket";

  /** Counters of one scrape; {@code buckets} maps a bucket's upper bound in seconds to its cumulative count. */
  private record Totals(double requests, double errors, double latencySum, double latencyCount,
                        TreeMap<Double, Double> buckets) {
  }

  /** The change between two scrapes, or the sum of several. */
  public record Delta(Instant at, double seconds, double requests, double errors, double latencySum, double latencyCount,
               TreeMap<Double, Double> buckets) {

    /** The 95th percentile in ms, interpolated within its bucket like PromQL's histogram_quantile; or null. */
    public Double p95Ms() {
      return LatencyHistogram.quantileMs(buckets, 0.95);
    }

    JsonObject toJson() {
      Double p95 = p95Ms();
      return new JsonObject().put("t", at.toEpochMilli())
        .put("requestsPerSecond", round(requests / seconds))
        .put("errorRatio", requests == 0 ? null : round(errors / requests))
        .put("meanLatencyMs", latencyCount == 0 ? null : round(1000 * latencySum / latencyCount))
        .put("p95LatencyMs", p95 == null ? null : round(p95));
    }
  }

  private final WebClient client;
  private final TrafficOptions options;
  private final long timeoutMs;
  private final int historySize;
  /** The balancer's /metrics needs the management token once one is configured (the same for every tier). */
  private final Optional<String> token = ManagementToken.configured();
  private final ArrayDeque<Delta> history = new ArrayDeque<>();
  private Totals previous;
  private Instant previousAt;
  private String error;

  public BalancerTraffic(WebClient client, TrafficOptions options, long timeoutMs, int historySize) {
    this.client = client;
    this.options = options;
    this.timeoutMs = timeoutMs;
    this.historySize = historySize;
  }

  /** Scrapes once; never fails: a failed scrape is kept as {@link #error()} and breaks the series. */
  public Future<Void> scrape() {
    var request = client.getAbs(options.url()).timeout(timeoutMs);
    token.ifPresent(t -> request.putHeader("Authorization", ManagementToken.bearer(t)));
    return request.send()
      .map(response -> {
        if (response.statusCode() != 200) {
          throw new IllegalStateException("HTTP " + response.statusCode());
        }
        return totals(Exposition.parse(response.bodyAsString()));
      })
      .map(totals -> {
        record(totals, Instant.now());
        return (Void) null;
      })
      .otherwise(failure -> {
        error = options.url() + ": " + Failures.describe(failure);
        previous = null;
        return null;
      });
  }

  private static Totals totals(List<Exposition.Sample> samples) {
    double requests = 0;
    double errors = 0;
    double latencySum = 0;
    double latencyCount = 0;
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (Exposition.Sample sample : samples) {
      switch (sample.name()) {
        case RESPONSES -> {
          requests += sample.value();
          errors += "5xx".equals(sample.labels().get("code")) ? sample.value() : 0;
        }
        case LATENCY_SUM -> latencySum += sample.value();
        case LATENCY_COUNT -> latencyCount += sample.value();
        case LATENCY_BUCKET -> buckets.merge(LatencyHistogram.bound(sample.labels().get("le")), sample.value(),
          Double::sum);
        default -> {
        }
      }
    }
    return new Totals(requests, errors, latencySum, latencyCount, buckets);
  }

  private void record(Totals totals, Instant at) {
    error = null;
    if (previous != null && totals.requests() >= previous.requests()) {
      double seconds = Math.max(0.001, Duration.between(previousAt, at).toMillis() / 1000.0);
      add(new Delta(at, seconds, totals.requests() - previous.requests(), totals.errors() - previous.errors(),
        totals.latencySum() - previous.latencySum(), totals.latencyCount() - previous.latencyCount(),
        LatencyHistogram.minus(totals.buckets(), previous.buckets())));
    }
    // A counter that went down means the balancer restarted: start over from this scrape.
    previous = totals;
    previousAt = at;
  }

  private void add(Delta delta) {
    if (history.size() == historySize) {
      history.removeFirst();
    }
    history.addLast(delta);
  }

  /** The sum of the deltas within the window before now, or null when no scrape pair falls in it. */
  public Delta window(Duration window, Instant now) {
    Instant from = now.minus(window);
    double seconds = 0;
    double requests = 0;
    double errors = 0;
    double latencySum = 0;
    double latencyCount = 0;
    TreeMap<Double, Double> buckets = new TreeMap<>();
    boolean any = false;
    for (Delta delta : history) {
      if (delta.at().isAfter(from)) {
        any = true;
        seconds += delta.seconds();
        requests += delta.requests();
        errors += delta.errors();
        latencySum += delta.latencySum();
        latencyCount += delta.latencyCount();
        for (Map.Entry<Double, Double> bucket : delta.buckets().entrySet()) {
          buckets.merge(bucket.getKey(), bucket.getValue(), Double::sum);
        }
      }
    }
    return any ? new Delta(now, seconds, requests, errors, latencySum, latencyCount, buckets) : null;
  }

  /** Why the last scrape failed, or null. */
  public String error() {
    return error;
  }

  public JsonObject toJson() {
    JsonArray samples = new JsonArray();
    history.forEach(delta -> samples.add(delta.toJson()));
    return new JsonObject().put("source", options.url()).put("error", error).put("history", samples);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
