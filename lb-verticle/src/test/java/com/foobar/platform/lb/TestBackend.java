package com.foobar.platform.lb;

import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for an application server: it echoes what it received (method, URI, headers,
 * body size) as JSON, names itself in X-Served-By, and can be told to fail its health check, hang, answer
 * slowly, fail with 500, reset, cut a body off, or echo a WebSocket. It can be stopped and started again on the same port.
 */
public final class TestBackend {

  public final String name;
  public final AtomicInteger requests = new AtomicInteger();
  public volatile int healthStatus = 200;
  /** When set, health checks get no answer at all (a check that times out), while other requests are served. */
  public volatile boolean healthHangs;
  public volatile String lastCheckMethod;
  public volatile String lastCheckHost;
  /** When set, every request (not the health check) is read whole and its connection closed without an answer. */
  public volatile boolean dropRequests;
  private final Vertx vertx;
  private int port;
  private HttpServer server;

  public TestBackend(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
    start();
  }

  public void start() {
    server = Await.result(vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1"));
    port = server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    if (request.path().equals("/healthz")) {
      lastCheckMethod = request.method().name();
      lastCheckHost = request.getHeader("Host");
      if (healthHangs) {
        return;
      }
      request.response().setStatusCode(healthStatus).end();
      return;
    }
    requests.incrementAndGet();
    if (dropRequests) { // a server dying mid-request: the request arrived, no answer ever leaves
      request.body().onComplete(read -> request.connection().close());
      return;
    }
    switch (request.path()) {
      case "/hang":
        return;
      case "/reset":
        request.connection().close();
        return;
      case "/unavailable": // a deliberate 503, as an app server sends while its database fails over
        request.response().setStatusCode(503).putHeader("Retry-After", "1").putHeader("X-Served-By", name).end("later");
        return;
      case "/fail":
        request.response().setStatusCode(500).putHeader("X-Served-By", name).end("failed");
        return;
      case "/slow":
        vertx.setTimer(Long.parseLong(request.getParam("ms", "1000")),
          id -> request.response().putHeader("X-Served-By", name).end("slow"));
        return;
      case "/ws":
        request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage));
        return;
      case "/truncated": // a chunked body cut off by the backend dying mid-response
        request.response().setChunked(true).putHeader("X-Served-By", name).write("x".repeat(4096))
          .onComplete(written -> vertx.setTimer(50, id -> request.connection().close()));
        return;
      case "/stream": // 4 KiB every 10 ms for 2 s: a download still running when its client leaves
        request.response().setChunked(true).putHeader("X-Served-By", name);
        stream(request, 200);
        return;
      case "/large":
        request.response().setChunked(true).putHeader("X-Served-By", name);
        for (int i = 0; i < 256; i++) {
          request.response().write("x".repeat(4096));
        }
        request.response().end();
        return;
      default:
        echo(request);
    }
  }

  private void stream(HttpServerRequest request, int chunksLeft) {
    if (request.response().closed()) {
      return;
    }
    if (chunksLeft == 0) {
      request.response().end();
      return;
    }
    request.response().write("x".repeat(4096));
    vertx.setTimer(10, id -> stream(request, chunksLeft - 1));
  }

  private void echo(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      request.headers().forEach(entry -> headers.put(entry.getKey().toLowerCase(), entry.getValue()));
      request.response().putHeader("X-Served-By", name).putHeader("Content-Type", "application/json")
        .putHeader("Keep-Alive", "timeout=5")
        .end(new JsonObject().put("method", request.method().name()).put("uri", request.uri())
          .put("headers", headers).put("bodyLength", body.length()).encode());
    });
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public void stop() {
    Await.result(server.close());
  }
}
