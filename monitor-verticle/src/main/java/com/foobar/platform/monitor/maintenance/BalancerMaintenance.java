package com.foobar.platform.monitor.maintenance;

import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.monitor.probe.Failures;
import com.foobar.platform.monitor.probe.HttpTarget;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the balancer's admin API ({@code GET /admin/backends} on the management port of the balancer's health
 * URL, with the management token) every round and tells the {@link MaintenanceBoard} which servers an operator
 * holds out of service: a backend in DRAIN or MAINT whose address a server's {@code "backend"} names. When the
 * balancer cannot be read (it restarts), the last answer stands: the operator's states survive its restart.
 */
public final class BalancerMaintenance {

  private static final Logger LOG = LoggerFactory.getLogger(BalancerMaintenance.class);

  private final WebClient client;
  private final String url;
  private final Map<String, String> serverOfBackend = new HashMap<>();
  private final MaintenanceBoard board;
  private final long timeoutMs;
  private final Optional<String> token = ManagementToken.configured();
  private String lastError;

  public BalancerMaintenance(WebClient client, HttpTarget balancer, List<HttpTarget> servers, MaintenanceBoard board,
                             long timeoutMs) {
    this.client = client;
    URI health = URI.create(balancer.url());
    this.url = health.getScheme() + "://" + health.getRawAuthority() + "/admin/backends";
    servers.stream().filter(server -> server.backend() != null)
      .forEach(server -> serverOfBackend.put(server.backend(), server.name()));
    this.board = board;
    this.timeoutMs = timeoutMs;
  }

  /** Whether any server names its backend: otherwise there is nothing to read. */
  public boolean needed() {
    return !serverOfBackend.isEmpty();
  }

  /** Reads once; never fails (a failed read keeps the last answer and is logged once until it works again). */
  public Future<Void> read() {
    var request = client.getAbs(url).timeout(timeoutMs);
    token.ifPresent(t -> request.putHeader("Authorization", ManagementToken.bearer(t)));
    return request.send()
      .compose(this::backends)
      .onSuccess(backends -> {
        board.serversAtTheBalancer(inMaintenance(backends));
        lastError = null;
      })
      .onFailure(failure -> {
        String error = Failures.describe(failure);
        if (!error.equals(lastError)) {
          LOG.info("cannot read the balancer's backend states at {} ({}): the last ones stand", url, error);
        }
        lastError = error;
      })
      .<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<JsonArray> backends(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture("HTTP " + response.statusCode());
    }
    return Future.succeededFuture(response.bodyAsJsonObject().getJsonArray("backends", new JsonArray()));
  }

  private Map<String, Maintenance> inMaintenance(JsonArray backends) {
    Map<String, Maintenance> found = new HashMap<>();
    for (Object item : backends) {
      JsonObject backend = (JsonObject) item;
      String server = serverOfBackend.get(backend.getString("name"));
      String state = backend.getString("state");
      if (server != null && ("DRAIN".equals(state) || "MAINT".equals(state))) {
        found.put(server, new Maintenance(state.equals("DRAIN") ? "drained at the balancer" : "MAINT at the balancer",
          backend.getString("adminBy", "unknown"), since(backend.getString("since"))));
      }
    }
    return found;
  }

  private static Instant since(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
