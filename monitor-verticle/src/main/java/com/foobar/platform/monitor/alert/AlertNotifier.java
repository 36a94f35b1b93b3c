package com.foobar.platform.monitor.alert;

import com.foobar.platform.monitor.probe.Failures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tells the log and the webhooks about alerts. The log gets each transition once (firing as WARN, resolved as
 * INFO). Each webhook gets Alertmanager's {@code POST /api/v2/alerts} body, a JSON array of
 * {@code {labels, annotations, startsAt, endsAt, generatorURL}}: on every transition, and every
 * {@code repeatIntervalSeconds} for the alerts still firing, with {@code endsAt} in the future (as Prometheus
 * does), so that Alertmanager neither forgets a firing alert nor keeps one whose monitor died. A delivery that
 * fails is kept (newest state per alert) and sent with the next round; one request per webhook at a time.
 */
final class AlertNotifier {

  private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);

  private final WebClient client;
  private final AlertOptions options;
  private final Supplier<String> generatorUrl;
  private final AlertMetrics metrics;
  private final long timeoutMs;
  private final Map<String, Map<String, JsonObject>> pending = new HashMap<>();
  private final Map<String, Boolean> inFlight = new HashMap<>();
  private Instant lastRepeat = Instant.EPOCH;

  AlertNotifier(WebClient client, AlertOptions options, Supplier<String> generatorUrl, AlertMetrics metrics,
                long timeoutMs) {
    this.client = client;
    this.options = options;
    this.generatorUrl = generatorUrl;
    this.metrics = metrics;
    this.timeoutMs = timeoutMs;
    options.webhooks().forEach(url -> pending.put(url, new LinkedHashMap<>()));
  }

  void notify(AlertEngine.Transitions transitions, List<AlertEngine.Active> firing, Instant now) {
    transitions.fired().forEach(alert -> LOG.warn("ALERT FIRING {}: {} ({})", alert.condition().key(),
      alert.condition().summary(), alert.condition().description()));
    transitions.resolved().forEach(alert -> LOG.info("ALERT RESOLVED {}: {}", alert.condition().key(),
      alert.condition().summary()));
    boolean repeat = !firing.isEmpty() && !lastRepeat.plusSeconds(options.repeatIntervalSeconds()).isAfter(now);
    if (repeat) {
      lastRepeat = now;
    }
    for (Map.Entry<String, Map<String, JsonObject>> webhook : pending.entrySet()) {
      Map<String, JsonObject> queue = webhook.getValue();
      transitions.fired().forEach(alert -> queue.put(alert.condition().key(), payload(alert, now)));
      transitions.resolved().forEach(alert -> queue.put(alert.condition().key(), payload(alert, now)));
      if (repeat) {
        firing.forEach(alert -> queue.put(alert.condition().key(), payload(alert, now)));
      }
      send(webhook.getKey(), queue);
    }
  }

  private JsonObject payload(AlertEngine.Active alert, Instant now) {
    Instant endsAt = alert.resolvedAt() != null ? alert.resolvedAt()
      : now.plusSeconds(4L * options.repeatIntervalSeconds());
    return new JsonObject()
      .put("labels", alert.condition().labelsJson())
      .put("annotations", alert.condition().annotationsJson())
      .put("startsAt", alert.firingAt().toString())
      .put("endsAt", endsAt.toString())
      .put("generatorURL", generatorUrl.get());
  }

  private void send(String url, Map<String, JsonObject> queue) {
    if (queue.isEmpty() || inFlight.getOrDefault(url, false)) {
      return;
    }
    Map<String, JsonObject> batch = new LinkedHashMap<>(queue);
    queue.clear();
    inFlight.put(url, true);
    client.postAbs(url).timeout(timeoutMs).sendJson(new JsonArray(List.copyOf(batch.values())))
      .compose(response -> response.statusCode() / 100 == 2 ? Future.succeededFuture()
        : Future.failedFuture("HTTP " + response.statusCode()))
      .onComplete(done -> {
        inFlight.put(url, false);
        metrics.recordNotification(done.succeeded());
        if (done.failed()) {
          LOG.warn("alert webhook {} failed ({}); {} alert(s) will be sent again", url,
            Failures.describe(done.cause()), batch.size());
          // Put back what no newer state has replaced in the meantime.
          batch.forEach(queue::putIfAbsent);
        }
      });
  }
}
