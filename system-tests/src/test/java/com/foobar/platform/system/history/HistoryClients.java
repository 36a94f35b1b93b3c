package com.foobar.platform.system.history;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The clients of a history test, in the spirit of Jepsen: writers that each post a stream of uniquely titled
 * posts and record every attempt with its outcome, and readers that write a marker, carry its consistency
 * token ({@code X-Consistency-Token}) and check that what they saw before that write is still there.
 *
 * <p>A writer's kind decides how it writes. {@link Kind#PLAIN} sends each post once and never retries (an
 * attempt without an answer is indeterminate: it may or may not be in the table). {@link Kind#KEYED} sends an
 * {@code Idempotency-Key} and, like a careful client, sends the same request with the same key again until it
 * gets an answer: each of its writes must end acknowledged (a failover costs it time, never a failed write), and
 * {@link HistoryChecker} requires every title at most once in the table (no retry wrote twice).
 */
public final class HistoryClients {

  /** How a writer writes. */
  public enum Kind { PLAIN, KEYED }

  /** How long a keyed writer keeps trying one write (a failover takes seconds, a full restart some more). */
  private static final long KEYED_PATIENCE_NANOS = Duration.ofSeconds(90).toNanos();

  /** One write: what was sent and what came back at last (201 with the id, or the failure); tries for keyed ones. */
  public record Attempt(Kind kind, String title, Long id, String failure, int tries) {
    Attempt(Kind kind, String title, Long id, String failure) {
      this(kind, title, id, failure, 1);
    }

    boolean acknowledged() {
      return id != null;
    }
  }

  private final Supplier<String> baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
  private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private volatile boolean running = true;

  public HistoryClients(Supplier<String> baseUrl) {
    this.baseUrl = baseUrl;
  }

  public void startWriters(int count, Kind kind) {
    for (int i = 0; i < count; i++) {
      String client = kind.name().toLowerCase() + "-" + i;
      start(client, () -> {
        for (long seq = 0; running; seq++) {
          // A refused write is retried later, as a client would (a new attempt, a new title), not in a tight loop.
          String title = "h-" + client + "-" + seq;
          String token = kind == Kind.KEYED ? writeUntilAnswered(title) : write(kind, title);
          pause(token == null ? 200 : 20);
        }
      });
    }
  }

  public void startReaders(int count) {
    for (int i = 0; i < count; i++) {
      String client = "reader-" + i;
      start(client, () -> new Reader(client).run());
    }
  }

  private void start(String name, Runnable body) {
    Thread thread = new Thread(body, "history-" + name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  /**
   * Posts with one idempotency key until a 201 comes back (a refusal or no answer is retried after a pause, with
   * the same key and body), giving up only after {@link #KEYED_PATIENCE_NANOS}; even after the test asked the
   * clients to stop, a write already begun is finished, as a real client would.
   */
  String writeUntilAnswered(String title) {
    String key = java.util.UUID.randomUUID().toString();
    long deadline = System.nanoTime() + KEYED_PATIENCE_NANOS;
    for (int tries = 1; ; tries++) {
      String token = send(Kind.KEYED, title, key, tries);
      if (token != null || System.nanoTime() > deadline) {
        return token;
      }
      pause(250);
    }
  }

  /** Posts once; returns the token of an acknowledged write, null otherwise. Records the attempt. */
  String write(Kind kind, String title) {
    return send(kind, title, null, 1);
  }

  private String send(Kind kind, String title, String idempotencyKey, int tries) {
    JsonObject post = new JsonObject().put("author", "history").put("title", title).put("body", "acknowledged writes stay");
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl.get() + "/api/posts"))
      .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(post.encode()));
    if (idempotencyKey != null) {
      builder.header("Idempotency-Key", idempotencyKey);
    }
    attempts.put(title, new Attempt(kind, title, null, "sent, no answer yet", tries));
    try {
      HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 201) {
        attempts.put(title, new Attempt(kind, title, new JsonObject(response.body()).getLong("id"), null, tries));
        acknowledged.incrementAndGet();
        return response.headers().firstValue("X-Consistency-Token").orElse(null);
      }
      attempts.put(title, new Attempt(kind, title, null, "HTTP " + response.statusCode(), tries));
    } catch (java.io.IOException | RuntimeException e) {
      attempts.put(title, new Attempt(kind, title, null, e.toString(), tries));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** A reader: its markers' tokens must show it everything it had seen when it wrote them. */
  private final class Reader {
    private final String client;
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();
    private final Set<Long> covered = new java.util.LinkedHashSet<>();

    Reader(String client) {
      this.client = client;
    }

    void run() {
      for (long seq = 0; running; seq++) {
        List<Long> before = new ArrayList<>(seen);
        String title = "h-" + client + "-" + seq;
        String token = write(Kind.PLAIN, title);
        if (token != null) {
          covered.addAll(before);
          covered.add(attempts.get(title).id());
          Long[] all = covered.toArray(new Long[0]);
          check(token, all[ThreadLocalRandom.current().nextInt(all.length)]);
          check(token, attempts.get(title).id());
          list(token);
        }
        pause(50);
      }
    }

    private void check(String token, long id) {
      HttpResponse<String> response = get("/api/posts/" + id, token);
      if (response != null && response.statusCode() == 404) {
        violations.add(client + " with token " + token + " no longer sees post " + id + " it saw before");
      }
    }

    private void list(String token) {
      HttpResponse<String> response = get("/api/posts?limit=50", token);
      if (response != null && response.statusCode() == 200) {
        JsonArray posts = new JsonObject(response.body()).getJsonArray("posts");
        posts.forEach(post -> seen.add(((JsonObject) post).getLong("id")));
      }
    }

    private HttpResponse<String> get(String path, String token) {
      try {
        reads.incrementAndGet();
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl.get() + path)).timeout(Duration.ofSeconds(10))
          .header("X-Consistency-Token", token).GET().build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException | RuntimeException e) {
        return null; // unavailable (a failover, a restart): no answer is not an old answer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops every client and waits until each finished its last request. */
  public void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(KEYED_PATIENCE_NANOS / 1_000_000 + 15_000);
    }
  }

  public long acknowledgedSoFar() {
    return acknowledged.get();
  }

  public Map<String, Attempt> attempts() {
    return attempts;
  }

  public List<String> violations() {
    return List.copyOf(violations);
  }

  public long reads() {
    return reads.get();
  }
}
