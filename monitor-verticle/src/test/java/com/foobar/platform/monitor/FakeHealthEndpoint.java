package com.foobar.platform.monitor;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Stands in for a tier's management port: answers /health as vertx-health-check does, or fails on demand. */
final class FakeHealthEndpoint {

  enum Mode { UP, DOWN, HANG }

  private volatile Mode mode = Mode.UP;
  private HttpServer server;

  Future<HttpServer> start(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
      .onSuccess(listening -> server = listening);
  }

  private void handle(HttpServerRequest request) {
    Mode current = mode;
    if (current == Mode.HANG) {
      return; // never answers: the monitor's timeout must cut it off
    }
    String status = current == Mode.UP ? "UP" : "DOWN";
    // Shaped like the app's /health: a "database" group with one check per node.
    JsonObject database = new JsonObject().put("id", "database").put("status", status).put("checks", new JsonArray()
      .add(new JsonObject().put("id", "primary").put("status", status))
      .add(new JsonObject().put("id", "replica-1").put("status", "UP")));
    JsonObject body = new JsonObject().put("status", status).put("outcome", status)
      .put("checks", new JsonArray().add(database));
    request.response().setStatusCode(current == Mode.UP ? 200 : 503)
      .putHeader("content-type", "application/json").end(body.encode());
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/health";
  }

  Future<Void> close() {
    return server.close();
  }
}
