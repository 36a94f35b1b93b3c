package com.foobar.platform.system;

import com.foobar.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Debian's headless {@code chromium}, driven over the DevTools protocol (a WebSocket, JSON commands) from the
 * test itself: no driver, no browser download. One instance is one browser profile ({@code user-data-dir}):
 * its localStorage survives a {@link #close()} and a new instance on the same directory, as a visitor's would.
 */
final class Chromium implements AutoCloseable {

  private final Vertx vertx;
  private final Process process;
  private final WebSocket page;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, Promise<JsonObject>> pending = new ConcurrentHashMap<>();

  private Chromium(Vertx vertx, Process process, WebSocket page) {
    this.vertx = vertx;
    this.process = process;
    this.page = page;
    page.textMessageHandler(text -> {
      JsonObject message = new JsonObject(text);
      Promise<JsonObject> waiting = message.containsKey("id") ? pending.remove(message.getInteger("id")) : null;
      if (waiting == null) {
        return; // an event: not used here
      }
      if (message.containsKey("error")) {
        waiting.fail(message.getJsonObject("error").encode());
      } else {
        waiting.complete(message.getJsonObject("result"));
      }
    });
  }

  /** Starts chromium on {@code profile} (a directory) with one blank page, and attaches to that page. */
  static Chromium start(Vertx vertx, Path profile) throws IOException {
    Files.createDirectories(profile);
    Files.deleteIfExists(profile.resolve("DevToolsActivePort"));
    Process process = new ProcessBuilder(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
      "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile,
      "--window-size=1280,900", "about:blank"))
      .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
      .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
      WebClient http = WebClient.create(vertx);
      String pageUrl;
      try {
        JsonArray targets = Await.result(http.get(port, "127.0.0.1", "/json/list").send()).bodyAsJsonArray();
        pageUrl = targets.stream().map(JsonObject.class::cast).filter(t -> "page".equals(t.getString("type")))
          .findFirst().orElseThrow().getString("webSocketDebuggerUrl");
      } finally {
        http.close();
      }
      URI uri = URI.create(pageUrl);
      WebSocket socket = Await.result(vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxFrameSize(16 * 1024 * 1024).setMaxMessageSize(64 * 1024 * 1024))
        .connect(new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort()).setURI(uri.getPath())
          .setAllowOriginHeader(false)));
      return new Chromium(vertx, process, socket);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private Future<JsonObject> send(String method, JsonObject params) {
    int id = ids.incrementAndGet();
    Promise<JsonObject> answer = Promise.promise();
    pending.put(id, answer);
    page.writeTextMessage(new JsonObject().put("id", id).put("method", method).put("params", params).encode());
    return answer.future();
  }

  /** Opens {@code url} and waits until the document has loaded. */
  void open(String url) {
    Await.result(send("Page.navigate", new JsonObject().put("url", url)), 30);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
      .until(() -> "complete".equals(eval("document.readyState")));
  }

  /** The value of a JavaScript expression in the page (promises awaited); a thrown error fails the call. */
  Object eval(String expression) {
    JsonObject result = Await.result(send("Runtime.evaluate", new JsonObject().put("expression", expression)
      .put("awaitPromise", true).put("returnByValue", true)), 30);
    if (result.containsKey("exceptionDetails")) {
      throw new IllegalStateException("the page threw: " + result.getJsonObject("exceptionDetails").encode());
    }
    return result.getJsonObject("result").getValue("value");
  }

  /** Waits until {@code condition} (a JavaScript expression) is true in the page. */
  void waitFor(String condition) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
      .until(() -> Boolean.TRUE.equals(eval("Boolean(" + condition + ")")));
  }

  /** Ends the browser; the profile directory (and the page's localStorage in it) stays. */
  @Override
  public void close() {
    try {
      Await.result(send("Browser.close", new JsonObject()), 10);
    } catch (RuntimeException alreadyGone) {
      // killed below either way
    }
    page.close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
