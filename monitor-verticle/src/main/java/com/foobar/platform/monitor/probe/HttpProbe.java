package com.foobar.platform.monitor.probe;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Probes a tier's {@code /health} endpoint: up means HTTP 200. The body is vertx-health-check JSON
 * ({@code {"status":"UP","checks":[{"id":..., "status":...}]}}); its checks are kept so the page can say which
 * dependency took a tier down.
 */
record HttpProbe(Component component, HttpTarget target, WebClient client, long timeoutMs) implements Probe {

  @Override
  public List<Component> components() {
    return List.of(component);
  }

  @Override
  public Future<Map<String, Observation>> run() {
    // The request's own timeout closes a hung connection, so hung probes cannot pile up in the client's pool;
    // the loop's timer bounds the round either way.
    return client.getAbs(target.url())
      .timeout(timeoutMs)
      .send()
      .map(this::observe)
      .map(observation -> Map.of(component.name(), observation));
  }

  private Observation observe(HttpResponse<Buffer> response) {
    JsonObject detail = new JsonObject().put("url", target.url()).put("statusCode", response.statusCode());
    JsonArray checks = checks(response.body());
    if (checks != null) {
      detail.put("checks", checks);
    }
    if (response.statusCode() == 200) {
      return Observation.up(detail);
    }
    return Observation.down(detail, "HTTP " + response.statusCode() + failingChecks(checks));
  }

  @Override
  public Map<String, Observation> failed(String reason) {
    return Map.of(component.name(), Observation.down(new JsonObject().put("url", target.url()), reason));
  }

  /** The health body's checks, or null when the body is not health-check JSON (a proxy's error page, say). */
  private static JsonArray checks(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      Object json = body.toJsonValue();
      return json instanceof JsonObject ? ((JsonObject) json).getJsonArray("checks") : null;
    } catch (DecodeException | ClassCastException notHealthJson) {
      return null;
    }
  }

  private static String failingChecks(JsonArray checks) {
    List<String> down = new ArrayList<>();
    collectDown(checks, "", down);
    return down.isEmpty() ? "" : " (down: " + String.join(", ", down) + ")";
  }

  /** The innermost checks that are not UP, by path: a tier's "database" group names "database/primary". */
  private static void collectDown(JsonArray checks, String prefix, List<String> down) {
    if (checks == null) {
      return;
    }
    for (Object item : checks) {
      if (!(item instanceof JsonObject) || "UP".equals(((JsonObject) item).getString("status"))) {
        continue;
      }
      JsonObject check = (JsonObject) item;
      String path = prefix + check.getValue("id");
      int before = down.size();
      Object nested = check.getValue("checks");
      collectDown(nested instanceof JsonArray ? (JsonArray) nested : null, path + "/", down);
      if (down.size() == before) {
        down.add(path);
      }
    }
  }

  @Override
  public Future<Void> close() {
    // The web client is shared by all HTTP probes and closed by the verticle.
    return Future.succeededFuture();
  }
}
