package com.foobar.platform.monitor;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The site's request rate, 5xx ratio and mean latency, derived each round from the balancer's own counters
 * ({@code vertx_http_server_requests_total}, {@code vertx_http_server_response_time_seconds_sum/_count} of its
 * public server): the difference between two scrapes over the time between them. Keeps a bounded history for
 * the page and answers window aggregates for the alert rules. Only touched on the monitor's event loop.
 */
final class BalancerTraffic {

  static final String REQUESTS = "vertx_http_server_requests_total";
  static final String LATENCY_SUM = "vertx_http_server_response_time_seconds_sum";
  static final String LATENCY_COUNT = "vertx_http_server_response_time_seconds_count";

  /** Counters of one scrape. */
  private record Totals(double requests, double errors, double latencySum, double latencyCount) {
  }

  /** The change between two scrapes. */
  record Delta(Instant at, double seconds, double requests, double errors, double latencySum, double latencyCount) {

    JsonObject toJson() {
      return new JsonObject().put("t", at.toEpochMilli())
        .put("requestsPerSecond", round(requests / seconds))
        .put("errorRatio", requests == 0 ? null : round(errors / requests))
        .put("meanLatencyMs", latencyCount == 0 ? null : round(1000 * latencySum / latencyCount));
    }
  }

  private final WebClient client;
  private final TrafficOptions options;
  private final long timeoutMs;
  private final int historySize;
  private final String scrapeLocal;
  /** The balancer's /metrics needs the management token once one is configured (the same for every tier). */
  private final java.util.Optional<String> token = com.foobar.platform.common.ManagementToken.configured();
  private final ArrayDeque<Delta> history = new ArrayDeque<>();
  private Totals previous;
  private Instant previousAt;
  private String error;

  BalancerTraffic(WebClient client, TrafficOptions options, long timeoutMs, int historySize) {
    this.client = client;
    this.options = options;
    this.timeoutMs = timeoutMs;
    this.historySize = historySize;
    URI uri = URI.create(options.getUrl());
    this.scrapeLocal = uri.getHost() + ":" + uri.getPort();
  }

  /** Scrapes once; never fails: a failed scrape is kept as {@link #error()} and breaks the series. */
  Future<Void> scrape() {
    var request = client.getAbs(options.getUrl()).timeout(timeoutMs);
    token.ifPresent(t -> request.putHeader("Authorization", com.foobar.platform.common.ManagementToken.bearer(t)));
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
        error = options.getUrl() + ": " + ProbeLoop.describe(failure);
        previous = null;
        return null;
      });
  }

  private Totals totals(List<Exposition.Sample> samples) {
    double requests = 0;
    double errors = 0;
    double latencySum = 0;
    double latencyCount = 0;
    for (Exposition.Sample sample : samples) {
      if (!counts(sample)) {
        continue;
      }
      switch (sample.name()) {
        case REQUESTS -> {
          requests += sample.value();
          String code = sample.labels().getOrDefault("code", "");
          errors += code.startsWith("5") ? sample.value() : 0;
        }
        case LATENCY_SUM -> latencySum += sample.value();
        case LATENCY_COUNT -> latencyCount += sample.value();
        default -> {
        }
      }
    }
    return new Totals(requests, errors, latencySum, latencyCount);
  }

  private boolean counts(Exposition.Sample sample) {
    String local = sample.labels().get("local");
    return options.getLocal() != null ? options.getLocal().equals(local) : !scrapeLocal.equals(local);
  }

  private void record(Totals totals, Instant at) {
    error = null;
    if (previous != null && totals.requests() >= previous.requests()) {
      double seconds = Math.max(0.001, Duration.between(previousAt, at).toMillis() / 1000.0);
      add(new Delta(at, seconds, totals.requests() - previous.requests(), totals.errors() - previous.errors(),
        totals.latencySum() - previous.latencySum(), totals.latencyCount() - previous.latencyCount()));
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
  Delta window(Duration window, Instant now) {
    Instant from = now.minus(window);
    double seconds = 0;
    double requests = 0;
    double errors = 0;
    double latencySum = 0;
    double latencyCount = 0;
    boolean any = false;
    for (Delta delta : history) {
      if (delta.at().isAfter(from)) {
        any = true;
        seconds += delta.seconds();
        requests += delta.requests();
        errors += delta.errors();
        latencySum += delta.latencySum();
        latencyCount += delta.latencyCount();
      }
    }
    return any ? new Delta(now, seconds, requests, errors, latencySum, latencyCount) : null;
  }

  /** Why the last scrape failed, or null. */
  String error() {
    return error;
  }

  JsonObject toJson() {
    JsonArray samples = new JsonArray();
    history.forEach(delta -> samples.add(delta.toJson()));
    return new JsonObject().put("source", options.getUrl()).put("local", options.getLocal())
      .put("error", error).put("history", samples);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
