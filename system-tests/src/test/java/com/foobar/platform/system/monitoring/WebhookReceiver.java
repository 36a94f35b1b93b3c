package com.foobar.platform.system.monitoring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Alertmanager webhook receiver on an ephemeral loopback port (the JDK's HttpServer): records every
 * notification it is sent, in order, so a test can count firing and resolved notifications per alert.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One alert of one notification: the notification's status ("firing"/"resolved") and the alert's labels. */
  public record Notified(String status, JsonObject labels) {
    public String alertname() {
      return labels.getString("alertname");
    }
  }

  private final List<JsonObject> notifications = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  public static WebhookReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/", receiver::record);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void record(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      notifications.add(new JsonObject(body));
      exchange.sendResponseHeaders(200, -1);
    }
  }

  /** The URL to put in a {@code webhook_configs} entry. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
  }

  /** Every notification body received so far (Alertmanager's webhook payload), oldest first. */
  public List<JsonObject> notifications() {
    return List.copyOf(notifications);
  }

  /** Every alert of every notification, flattened, each with the status it was sent with. */
  public List<Notified> alerts() {
    return notifications.stream().flatMap(body -> body.getJsonArray("alerts").stream().map(JsonObject.class::cast))
      .map(alert -> new Notified(alert.getString("status"), alert.getJsonObject("labels"))).toList();
  }

  /** How many times the named alert was notified with the given status ("firing" or "resolved"). */
  public long count(String alertname, String status) {
    return alerts().stream().filter(a -> a.alertname().equals(alertname) && a.status().equals(status)).count();
  }

  public void clear() {
    notifications.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
