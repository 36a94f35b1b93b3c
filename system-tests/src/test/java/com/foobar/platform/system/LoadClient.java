package com.foobar.platform.system;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client holding many keep-alive connections to the balancer, as browsers and API clients do: {@code loops}
 * request loops over one pool of as many connections, each loop sending its next request as soon as the last one
 * ended. Every failure (no answer, or a status other than expected) is recorded with its reason. POSTs carry a
 * unique marker in their body, so the database can be checked for lost and duplicated writes.
 */
final class LoadClient implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client;
  private final int port;
  private final String getPath;
  private final boolean posts;
  private final String marker = "rr-" + java.util.UUID.randomUUID();
  private volatile boolean running = true;
  final AtomicLong ok = new AtomicLong();
  final Queue<String> failures = new ConcurrentLinkedQueue<>();
  /** The markers of POSTs the balancer acknowledged (201). */
  final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private Future<?> done;

  LoadClient(int port, int loops, String getPath, boolean posts) {
    this.port = port;
    this.getPath = getPath;
    this.posts = posts;
    // The client's own breakage is a failure of the run, named, not a silent hang of the loops.
    vertx.exceptionHandler(failure -> failures.add("load client: " + failure));
    // The client honours the balancer's Keep-Alive: timeout=N, as a well-behaved client does.
    this.client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60))
      .with(new PoolOptions().setHttp1MaxSize(loops)).build();
    Future<?>[] all = new Future<?>[loops];
    for (int i = 0; i < loops; i++) {
      all[i] = loop(i);
    }
    done = Future.join(List.of(all));
  }

  String marker() {
    return marker;
  }

  /**
   * One request loop, completed when it stopped. Each request starts the next from its completion handler rather
   * than as a future composed on the last: a composed chain nests one future per request, and at the end their
   * completion cascades through thousands of frames (a StackOverflowError that left the loop uncompleted).
   */
  private Future<Void> loop(int index) {
    Promise<Void> stopped = Promise.promise();
    next(index, stopped);
    return stopped.future();
  }

  private void next(int index, Promise<Void> stopped) {
    if (!running) {
      stopped.complete();
      return;
    }
    boolean post = posts && index % 4 == 0;
    (post ? post() : get()).onComplete(ignored -> next(index, stopped));
  }

  private Future<Void> get() {
    return client.request(new RequestOptions().setPort(port).setHost("127.0.0.1").setURI(getPath))
      .compose(request -> request.send())
      .compose(response -> response.body().map(body -> check(response.statusCode(), 200, "GET", body)))
      .recover(failure -> failed("GET: " + failure));
  }

  private Future<Void> post() {
    String tag = marker + "-" + sequence.incrementAndGet();
    Buffer body = new JsonObject().put("author", "rolling").put("title", "restart").put("body", tag).toBuffer();
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setPort(port).setHost("127.0.0.1")
        .setURI("/api/posts").putHeader("Content-Type", "application/json"))
      .compose(request -> request.send(body))
      .compose(response -> response.body().map(answer -> {
        check(response.statusCode(), 201, "POST " + tag, answer);
        if (response.statusCode() == 201) {
          acknowledged.add(tag);
        }
        return (Void) null;
      }))
      .recover(failure -> failed("POST " + tag + ": " + failure));
  }

  private Void check(int status, int expected, String what, Buffer body) {
    if (status == expected) {
      ok.incrementAndGet();
    } else {
      failures.add(what + " answered " + status + " " + body);
    }
    return null;
  }

  private Future<Void> failed(String what) {
    failures.add(what);
    return Future.succeededFuture();
  }

  /** Stops sending and waits for the requests in flight. */
  void stop() {
    running = false;
    done.toCompletionStage().toCompletableFuture().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    running = false;
    vertx.close();
  }
}
