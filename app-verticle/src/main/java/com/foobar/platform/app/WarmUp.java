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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;


/**
 * Runs the server's hot paths against its own public port before it says it is ready, so the JIT has compiled
 * them when the first visitor arrives: a cold JVM serves its first seconds at a fraction of its speed. Reads only
 * (posts by id and pages of posts; nothing is written), from {@value #CONCURRENCY} keep-alive connections, as
 * many as keep the database client's pipelines and queues on the paths visitors' load takes. It ends when the JIT
 * has gone quiet under that load ({@link JitQuiet}: nothing left it wants to compile) or after {@code durationMs},
 * whichever comes first. What fails is ignored: a warm-up never keeps a server from starting.
 */
final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static final int CONCURRENCY = 32;

  private final HttpClient client;
  private final long startedNanos = System.nanoTime();
  private final long deadline;
  private final JitQuiet jit = new JitQuiet(ManagementFactory.getCompilationMXBean());
  private volatile boolean over;
  private volatile long[] ids = {1};
  private long requests;

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
    long watch = vertx.setPeriodic(JitQuiet.WINDOW_MS, tick -> warmUp.watchJit());
    return warmUp.learnIds().transform(learned -> warmUp.loop())
      .eventually(() -> {
        vertx.cancelTimer(watch);
        return warmUp.client.close();
      })
      .onSuccess(done -> warmUp.report());
  }

  private void watchJit() {
    if (jit.quietAfterWindow()) {
      over = true;
    }
  }

  private void report() {
    LOG.info("warm-up over after {} ms and {} requests ({})", (System.nanoTime() - startedNanos) / 1_000_000,
      requests, over ? "the JIT went quiet" : "its longest, warmUpMs");
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
    if (over || System.currentTimeMillis() >= deadline) {
      finished.run();
      return;
    }
    requests++;
    long[] known = ids;
    // Visitors' mix, as the type profiles the JIT compiles by: mostly posts by id, then pages of posts.
    Future<Buffer> step = n % 4 == 3 ? request("/api/posts?limit=20")
      : request("/api/posts/" + known[(int) (n / 4 % known.length)]);
    step.onComplete(answered -> next(n + CONCURRENCY, finished));
  }

  private Future<Buffer> request(String uri) {
    return client.request(HttpMethod.GET, uri).compose(request -> request.send()).compose(HttpClientResponse::body);
  }

  /**
   * Whether the JIT has stopped compiling: the compilers' time ({@link CompilationMXBean}, summed over their
   * threads) grew by less than {@value #QUIET_PERCENT}% of a window in {@value #QUIET_WINDOWS} windows in a row.
   * Where the JVM does not measure it, never quiet (the warm-up then runs its full length).
   */
  static final class JitQuiet {

    static final long WINDOW_MS = 1000;
    private static final long QUIET_PERCENT = 5;
    private static final int QUIET_WINDOWS = 2;

    private final CompilationMXBean compiler;
    private long lastMs = -1;
    private int quietWindows;

    JitQuiet(CompilationMXBean compiler) {
      this.compiler = compiler;
    }

    /** Called once a window; true once the compilers were quiet long enough. */
    boolean quietAfterWindow() {
      if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
        return false;
      }
      long nowMs = compiler.getTotalCompilationTime();
      boolean quiet = lastMs >= 0 && (nowMs - lastMs) * 100 < WINDOW_MS * QUIET_PERCENT;
      lastMs = nowMs;
      quietWindows = quiet ? quietWindows + 1 : 0;
      return quietWindows >= QUIET_WINDOWS;
    }
  }
}
