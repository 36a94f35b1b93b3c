package com.foobar.platform.monitor;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server standing in for Alertmanager's {@code POST /api/v2/alerts}: it keeps every alert posted and
 * rejects what Alertmanager would reject (not a JSON array of objects with labels and startsAt).
 */
final class WebhookReceiver {

  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  Future<HttpServer> start(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(request -> {
      if (request.method() != HttpMethod.POST || !request.path().equals("/api/v2/alerts")) {
        request.response().setStatusCode(404).end();
        return;
      }
      request.body().onSuccess(body -> {
        try {
          JsonArray alerts = body.toJsonArray();
          for (Object item : alerts) {
            JsonObject alert = (JsonObject) item;
            if (alert.getJsonObject("labels").getString("alertname") == null || alert.getString("startsAt") == null) {
              throw new IllegalArgumentException("not an Alertmanager alert: " + alert);
            }
          }
          alerts.forEach(alert -> received.add((JsonObject) alert));
          request.response().setStatusCode(200).end();
        } catch (RuntimeException e) {
          request.response().setStatusCode(400).end(e.getMessage());
        }
      });
    }).listen(0, "127.0.0.1").onSuccess(listening -> server = listening);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/api/v2/alerts";
  }

  List<JsonObject> received() {
    return List.copyOf(received);
  }

  /** Alerts received with this alertname whose endsAt is in the past or future (resolved or firing). */
  List<JsonObject> named(String alertname, boolean resolved) {
    long now = System.currentTimeMillis();
    return received().stream()
      .filter(alert -> alertname.equals(alert.getJsonObject("labels").getString("alertname")))
      .filter(alert -> (java.time.Instant.parse(alert.getString("endsAt")).toEpochMilli() <= now) == resolved)
      .toList();
  }
}
