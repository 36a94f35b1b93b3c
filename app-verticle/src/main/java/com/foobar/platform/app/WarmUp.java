package com.foobar.platform.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;


/**
 * Runs the server's hot paths against its own public port before it says it is ready, so the JIT has compiled
 * them when the first visitor arrives: a cold JVM serves its first seconds at a fraction of its speed. Reads only
 * (posts by id and pages of posts; nothing is written), from {@value #CONCURRENCY} keep-alive connections for
 * {@code durationMs}. What fails is ignored: a warm-up never keeps a server from starting.
 */
final class WarmUp {

  private static final int CONCURRENCY = 8;

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
    return request("/api/posts?limit=50").map(body -> {
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
    // Visitors' mix, as the type profiles the JIT compiles by: mostly posts by id, then pages of posts.
    Future<Buffer> step = n % 4 == 3 ? request("/api/posts?limit=20")
      : request("/api/posts/" + known[(int) (n / 4 % known.length)]);
    step.onComplete(answered -> next(n + CONCURRENCY, finished));
  }

  private Future<Buffer> request(String uri) {
    return client.request(HttpMethod.GET, uri).compose(request -> request.send()).compose(HttpClientResponse::body);
  }
}
