package com.foobar.platform.monitor;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The site as a user sees it: through the balancer's public URL, writes a probe post ({@code POST /api/posts}),
 * reads it back by id ({@code GET /api/posts/:id}, retried briefly because reads go to the replica, which may
 * be a moment behind) and deletes it again. Up only when all three worked. Each step is timed into
 * {@link MonitorMetrics#recordSyntheticStep}.
 *
 * <p>Probe posts live for one round trip: they carry the author {@code foobar-monitor}, and a post whose delete
 * failed (the primary was down, say) is remembered and deleted again at the start of the next rounds.
 */
final class SyntheticProbe implements Probe {

  static final String NAME = "synthetic";
  static final String KIND = "e2e";
  /** Deletes kept for later: bounded, so an outage of hours cannot grow the set without limit. */
  static final int MAX_PENDING_DELETES = 1000;
  /** How many of the newest posts the first round looks through for probe posts left behind. */
  static final int SWEEP_LIMIT = 100;

  private final Component component = Component.synthetic();
  private final Vertx vertx;
  private final WebClient client;
  private final SyntheticOptions options;
  private final long timeoutMs;
  private final MonitorMetrics metrics;
  private final Set<Long> pendingDeletes = new LinkedHashSet<>();
  private boolean swept;
  private Future<?> inFlight = Future.succeededFuture();

  SyntheticProbe(Vertx vertx, WebClient client, SyntheticOptions options, long timeoutMs, MonitorMetrics metrics) {
    this.vertx = vertx;
    this.client = client;
    this.options = options;
    this.timeoutMs = timeoutMs;
    this.metrics = metrics;
  }

  @Override
  public List<Component> components() {
    return List.of(component);
  }

  @Override
  public Future<Map<String, Observation>> run() {
    if (!swept) {
      sweep();
    }
    retryPendingDeletes();
    JsonObject detail = new JsonObject().put("url", options.getUrl());
    String title = "monitor probe " + System.currentTimeMillis();
    // A failure is still a succeeded future with a down observation, so the page keeps the step details.
    Future<Map<String, Observation>> round = create(title, detail)
      .compose(id -> readBack(id, title, detail, 1)
        .transform(read -> delete(id, detail).transform(deleted -> read.failed()
          ? Future.<Void>failedFuture(read.cause()) : deleted.failed() ? Future.<Void>failedFuture(deleted.cause())
          : Future.<Void>succeededFuture())))
      .map(done -> Map.of(NAME, Observation.up(detail)))
      .otherwise(failure -> Map.of(NAME, Observation.down(detail, ProbeLoop.describe(failure))));
    inFlight = round;
    return round;
  }

  /**
   * Deletes probe posts a previous monitor left behind (it stopped or crashed between write and delete): they
   * carry this probe's author and are among the newest posts. Done once, when it first works.
   */
  private void sweep() {
    client.getAbs(options.getUrl() + "/api/posts?limit=" + SWEEP_LIMIT).timeout(timeoutMs).send()
      .onSuccess(response -> {
        if (response.statusCode() != 200) {
          return;
        }
        swept = true;
        response.bodyAsJsonObject().getJsonArray("posts").stream().map(JsonObject.class::cast)
          .filter(post -> options.getAuthor().equals(post.getString("author")))
          .forEach(post -> remember(post.getLong("id")));
      });
  }

  private Future<Long> create(String title, JsonObject detail) {
    JsonObject post = new JsonObject().put("author", options.getAuthor()).put("title", title)
      .put("body", "Synthetic end-to-end check by the foobar monitor; deleted at once.");
    long started = System.nanoTime();
    return client.postAbs(options.getUrl() + "/api/posts").timeout(timeoutMs).sendJsonObject(post)
      .compose(response -> {
        step("write", started, detail);
        detail.put("writeStatus", response.statusCode());
        Long id = response.statusCode() == 201 ? idOf(response) : null;
        if (id == null) {
          return Future.failedFuture("write failed: POST /api/posts answered HTTP " + response.statusCode());
        }
        detail.put("postId", id);
        return Future.succeededFuture(id);
      });
  }

  private static Long idOf(HttpResponse<Buffer> response) {
    try {
      return response.bodyAsJsonObject().getLong("id");
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** Reads the post back; 404 means the replica has not applied it yet, so it is tried again shortly. */
  private Future<Void> readBack(long id, String title, JsonObject detail, int attempt) {
    long started = System.nanoTime();
    return client.getAbs(options.getUrl() + "/api/posts/" + id).timeout(timeoutMs).send()
      .compose(response -> {
        detail.put("readStatus", response.statusCode()).put("readAttempts", attempt);
        if (response.statusCode() == 200 && title.equals(titleOf(response))) {
          step("read", started, detail);
          return Future.succeededFuture();
        }
        if (response.statusCode() == 404 && attempt < options.getReadAttempts()) {
          return later(options.getReadRetryMs()).compose(waited -> readBack(id, title, detail, attempt + 1));
        }
        return Future.failedFuture("read back failed: GET /api/posts/" + id + " answered HTTP "
          + response.statusCode() + " after " + attempt + " attempt(s)");
      });
  }

  private static String titleOf(HttpResponse<Buffer> response) {
    try {
      return response.bodyAsJsonObject().getString("title");
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private Future<Void> later(long ms) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(ms, id -> promise.complete());
    return promise.future();
  }

  private Future<Void> delete(long id, JsonObject detail) {
    long started = System.nanoTime();
    return deleteRequest(id).compose(status -> {
      detail.put("deleteStatus", status);
      if (status == 204 || status == 200 || status == 404) {
        step("delete", started, detail);
        return Future.succeededFuture();
      }
      remember(id);
      return Future.failedFuture("delete failed: DELETE /api/posts/" + id + " answered HTTP " + status);
    }, failure -> {
      remember(id);
      return Future.failedFuture(failure);
    });
  }

  private Future<Integer> deleteRequest(long id) {
    return client.deleteAbs(options.getUrl() + "/api/posts/" + id).timeout(timeoutMs).send()
      .map(HttpResponse::statusCode);
  }

  private void remember(long id) {
    if (pendingDeletes.size() < MAX_PENDING_DELETES) {
      pendingDeletes.add(id);
    }
  }

  /** Deletes left over from failed rounds; 404 counts as done (someone deleted it already). */
  private void retryPendingDeletes() {
    for (Long id : List.copyOf(pendingDeletes)) {
      deleteRequest(id).onSuccess(status -> {
        if (status == 204 || status == 200 || status == 404) {
          pendingDeletes.remove(id);
        }
      });
    }
  }

  private void step(String step, long startedNanos, JsonObject detail) {
    long nanos = System.nanoTime() - startedNanos;
    detail.put(step + "Ms", nanos / 1_000_000);
    metrics.recordSyntheticStep(step, nanos);
  }

  /** Probe posts whose delete failed and is retried each round (for the page and tests). */
  int pendingDeletes() {
    return pendingDeletes.size();
  }

  @Override
  public Map<String, Observation> failed(String reason) {
    return Map.of(NAME, Observation.down(new JsonObject().put("url", options.getUrl()), reason));
  }

  /**
   * Lets the round under way finish its delete, then deletes what is still pending, once, so a stopping
   * monitor leaves no probe post behind when the site can take the delete. The web client is closed after this.
   */
  @Override
  public Future<Void> close() {
    return inFlight.transform(done -> Future.join(List.copyOf(pendingDeletes).stream()
        .map(this::deleteRequest).toList()))
      .transform(done -> Future.succeededFuture());
  }
}
