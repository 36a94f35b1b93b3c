package com.foobar.platform.lb;

import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for an application server: it echoes what it received (method, URI, headers,
 * body size) as JSON, names itself in X-Served-By, and can be told to fail its health check, hang or reset.
 */
final class TestBackend {

  final String name;
  final AtomicInteger requests = new AtomicInteger();
  volatile int healthStatus = 200;
  private final HttpServer server;

  TestBackend(Vertx vertx, String name) {
    this.name = name;
    this.server = Await.result(vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/healthz")) {
        request.response().setStatusCode(healthStatus).end();
        return;
      }
      requests.incrementAndGet();
      if (request.path().equals("/hang")) {
        return;
      }
      if (request.path().equals("/reset")) {
        request.connection().close();
        return;
      }
      if (request.path().equals("/large")) {
        request.response().setChunked(true).putHeader("X-Served-By", name);
        for (int i = 0; i < 256; i++) {
          request.response().write("x".repeat(4096));
        }
        request.response().end();
        return;
      }
      request.body().onSuccess(body -> {
        JsonObject headers = new JsonObject();
        request.headers().forEach(entry -> headers.put(entry.getKey().toLowerCase(), entry.getValue()));
        request.response().putHeader("X-Served-By", name).putHeader("Content-Type", "application/json")
          .putHeader("Keep-Alive", "timeout=5")
          .end(new JsonObject().put("method", request.method().name()).put("uri", request.uri())
            .put("headers", headers).put("bodyLength", body.length()).encode());
      });
    }).listen(0, "127.0.0.1"));
  }

  String address() {
    return "127.0.0.1:" + server.actualPort();
  }

  void stop() {
    Await.result(server.close());
  }
}
