package com.foobar.platform.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Runs the server's hot paths against its own public port before it says it is ready, so the JIT has compiled
 * them when the first visitor arrives: a cold JVM serves its first seconds at a fraction of its speed. Reads only
 * (a page of posts, posts by id, the home page) and a refused write (400: the body is parsed and checked, nothing
 * is written), from {@code concurrency} keep-alive connections for {@code durationMs}. What fails is ignored:
 * a warm-up never keeps a server from starting.
 */
final class WarmUp {

  private static final int CONCURRENCY = 8;
  private static final List<String> PAGES = List.of("/api/posts?limit=20", "/", "/api/posts?limit=1");

  private final HttpClient client;
  private final long deadline;
  private volatile long[] ids = {1};

  private WarmUp(Vertx vertx, int port, int durationMs) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
      .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONCURRENCY));
    this.deadline = System.currentTimeMillis() + durationMs;
  }

  /** Completes once the warm-up is over (at once when {@code durationMs} is 0). */
  static Future<Void> run(Vertx vertx, int port, int durationMs) {
    if (durationMs <= 0) {
      return Future.succeededFuture();
    }
    WarmUp warmUp = new WarmUp(vertx, port, durationMs);
    return warmUp.learnIds().transform(learned -> warmUp.loop()).eventually(warmUp.client::close);
  }

  /** Ids of posts that exist, so reads by id find rows as visitors' do. */
  private Future<Void> learnIds() {
    return request(HttpMethod.GET, "/api/posts?limit=50", null).map(body -> {
      var posts = new JsonObject(body).getJsonArray("posts");
      if (!posts.isEmpty()) {
        ids = posts.stream().mapToLong(post -> ((JsonObject) post).getLong("id")).toArray();
      }
      return null;
    });
  }

  private Future<Void> loop() {
    Promise<Void> done = Promise.promise();
    int[] running = {CONCURRENCY};
    for (int i = 0; i < CONCURRENCY; i++) {
      next(i, () -> {
        if (--running[0] == 0) {
          done.complete();
        }
      });
    }
    return done.future();
  }

  private void next(long n, Runnable finished) {
    if (System.currentTimeMillis() >= deadline) {
      finished.run();
      return;
    }
    long[] known = ids;
    Future<Buffer> step = switch ((int) (n % 5)) {
      case 0, 1 -> request(HttpMethod.GET, "/api/posts/" + known[(int) (n / 5 % known.length)], null);
      case 2 -> request(HttpMethod.POST, "/api/posts", Buffer.buffer("{\"author\":\"\",\"title\":\"warm-up\"}"));
      default -> request(HttpMethod.GET, PAGES.get((int) (n % PAGES.size())), null);
    };
    step.onComplete(answered -> next(n + CONCURRENCY, finished));
  }

  private Future<Buffer> request(HttpMethod method, String uri, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri);
    if (body != null) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    return client.request(options)
      .compose(request -> body == null ? request.send() : request.send(body))
      .compose(HttpClientResponse::body);
  }
}
