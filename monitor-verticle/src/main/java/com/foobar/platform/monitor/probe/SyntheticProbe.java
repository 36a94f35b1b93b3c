package com.foobar.platform.monitor.probe;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The site as a user sees it: through the balancer's public URL, writes a probe post ({@code POST /api/posts}),
 * reads it back by id ({@code GET /api/posts/:id}, retried briefly because reads go to the replica, which may
 * be a moment behind) and deletes it again with the edit token its POST returned, as the post's author. Up
 * only when all three worked. Each step is timed into {@link ProbeMetrics#recordSyntheticStep}.
 *
 * <p>No visitor sees a probe post: each request carries the management token in {@code X-Foobar-Probe}, the app
 * marks the post as the probe's and leaves it out of every public read (the list, a post by id), while the
 * probe's own requests see it; so the write, the read from the replica and the delete are the real ones.
 *
 * <p>Probe posts live for one round trip: they carry the author {@code foobar-monitor}, and a post whose delete
 * failed (the primary was down, say) is remembered with its token and deleted again in later rounds, one per
 * round. A probe post left by a monitor that was killed between its write and its delete has a token nobody
 * holds any more: only moderation can remove it.
 *
 * <p>Write limits: the balancer limits writes per client address (by default 2 per second, bursts of 10). The
 * probe stays within that budget on its own instead of being exempted: one round writes twice (the post and
 * its delete) plus at most one retried delete, so at the default {@code intervalMs} of 2000 it uses at most
 * 1.5 writes a second, and the burst absorbs a late round. No address has to be trusted for it, it needs no
 * configuration in any deployment, and it sees the site exactly as a visitor does, limits included: a probe
 * meeting a 429 says so. (Locally the probe and a browser share 127.0.0.1 and so one bucket.)
 */
final class SyntheticProbe implements Probe {

  /** Deletes kept for later: bounded, so an outage of hours cannot grow the set without limit. */
  static final int MAX_PENDING_DELETES = 1000;
  /** Leftover deletes retried per round: keeps the probe's writes within the balancer's default budget. */
  static final int RETRIES_PER_ROUND = 1;
  static final String EDIT_TOKEN_HEADER = "X-Edit-Token";
  /** The app's mark of the probe's requests ({@code app.posts.ProbeRequests}): its posts stay out of public reads. */
  static final String PROBE_HEADER = "X-Foobar-Probe";
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticProbe.class);

  private final Component component = Component.synthetic();
  private final Vertx vertx;
  private final WebClient client;
  private final SyntheticOptions options;
  private final long timeoutMs;
  private final ProbeMetrics metrics;
  /** The management token the probe's requests carry, or null (then its posts are public, and a warning says so). */
  private final String token;
  /** Probe posts still to delete, by id, with their edit tokens. */
  private final Map<Long, String> pendingDeletes = new LinkedHashMap<>();
  private Future<?> inFlight = Future.succeededFuture();

  /** A probe post just written: its id and the edit token that lets the probe delete it. */
  private record Written(long id, String editToken) {
  }

  SyntheticProbe(Vertx vertx, SyntheticOptions options, long timeoutMs, ProbeMetrics metrics, Optional<String> token) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, options.clientOptions(timeoutMs));
    this.options = options;
    this.timeoutMs = timeoutMs;
    this.metrics = metrics;
    this.token = token.orElse(null);
    if (this.token == null) {
      LOG.warn("no management token configured: the synthetic probe's posts cannot be marked as the probe's and "
        + "visitors will see them (set FOOBAR_MANAGEMENT_TOKEN_FILE as for the app servers)");
    }
  }

  /** Marks a request as the probe's, when there is a token to mark it with. */
  private HttpRequest<Buffer> marked(HttpRequest<Buffer> request) {
    return token == null ? request : request.putHeader(PROBE_HEADER, token);
  }

  @Override
  public List<Component> components() {
    return List.of(component);
  }

  @Override
  public Future<Map<String, Observation>> run() {
    retryPendingDeletes();
    JsonObject detail = new JsonObject().put("url", options.url());
    String title = "monitor probe " + System.currentTimeMillis();
    // A failure is still a succeeded future with a down observation, so the page keeps the step details.
    Future<Map<String, Observation>> round = create(title, detail)
      .compose(written -> readBack(written.id(), title, detail, 1)
        .transform(read -> delete(written, detail).transform(deleted -> read.failed()
          ? Future.<Void>failedFuture(read.cause()) : deleted.failed() ? Future.<Void>failedFuture(deleted.cause())
          : Future.<Void>succeededFuture())))
      .map(done -> Map.of(component.name(), Observation.up(detail)))
      .otherwise(failure -> Map.of(component.name(), Observation.down(detail, Failures.describe(failure))));
    inFlight = round;
    return round;
  }

  private Future<Written> create(String title, JsonObject detail) {
    JsonObject post = new JsonObject().put("author", options.author()).put("title", title)
      .put("body", "Synthetic end-to-end check by the foobar monitor; deleted at once.");
    long started = System.nanoTime();
    // Keyed as the site's page keys its writes: a write the balancer could not deliver (a server stopping under
    // it) is sent again to another server and runs once, so the probe measures what a visitor gets.
    return marked(client.postAbs(options.url() + "/api/posts"))
      .putHeader(IDEMPOTENCY_KEY, UUID.randomUUID().toString()).timeout(timeoutMs).sendJsonObject(post)
      .compose(response -> {
        step("write", started, detail);
        detail.put("writeStatus", response.statusCode());
        Written written = response.statusCode() == 201 ? writtenOf(response) : null;
        if (written == null) {
          return Future.failedFuture("write failed: POST /api/posts answered HTTP " + response.statusCode());
        }
        detail.put("postId", written.id());
        return Future.succeededFuture(written);
      });
  }

  private static Written writtenOf(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      Long id = body.getLong("id");
      String token = body.getString("editToken");
      return id == null || token == null ? null : new Written(id, token);
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** Reads the post back; 404 means the replica has not applied it yet, so it is tried again shortly. */
  private Future<Void> readBack(long id, String title, JsonObject detail, int attempt) {
    long started = System.nanoTime();
    return marked(client.getAbs(options.url() + "/api/posts/" + id)).timeout(timeoutMs).send()
      .compose(response -> {
        detail.put("readStatus", response.statusCode()).put("readAttempts", attempt);
        if (response.statusCode() == 200 && title.equals(titleOf(response))) {
          step("read", started, detail);
          return Future.succeededFuture();
        }
        if (response.statusCode() == 404 && attempt < options.readAttempts()) {
          return later(options.readRetryMs()).compose(waited -> readBack(id, title, detail, attempt + 1));
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

  private Future<Void> delete(Written written, JsonObject detail) {
    long started = System.nanoTime();
    return deleteRequest(written.id(), written.editToken()).compose(status -> {
      detail.put("deleteStatus", status);
      if (status == 204 || status == 200 || status == 404) {
        step("delete", started, detail);
        return Future.succeededFuture();
      }
      remember(written);
      return Future.failedFuture("delete failed: DELETE /api/posts/" + written.id() + " answered HTTP " + status);
    }, failure -> {
      remember(written);
      return Future.failedFuture(failure);
    });
  }

  private Future<Integer> deleteRequest(long id, String editToken) {
    return marked(client.deleteAbs(options.url() + "/api/posts/" + id)).putHeader(EDIT_TOKEN_HEADER, editToken)
      .timeout(timeoutMs).send().map(HttpResponse::statusCode);
  }

  private void remember(Written written) {
    if (pendingDeletes.size() < MAX_PENDING_DELETES) {
      pendingDeletes.put(written.id(), written.editToken());
    }
  }

  /**
   * Deletes left over from failed rounds, {@value #RETRIES_PER_ROUND} per round; 404 counts as done (moderation
   * deleted it), and so does 403 (its token no longer fits: nothing this probe can do).
   */
  private void retryPendingDeletes() {
    pendingDeletes.entrySet().stream().limit(RETRIES_PER_ROUND).toList().forEach(pending ->
      deleteRequest(pending.getKey(), pending.getValue()).onSuccess(status -> {
        if (status == 204 || status == 200 || status == 404 || status == 403) {
          pendingDeletes.remove(pending.getKey());
        }
      }));
  }

  private void step(String step, long startedNanos, JsonObject detail) {
    long nanos = System.nanoTime() - startedNanos;
    detail.put(step + "Ms", nanos / 1_000_000);
    metrics.recordSyntheticStep(step, nanos);
  }

  @Override
  public Map<String, Observation> failed(String reason) {
    return Map.of(component.name(), Observation.down(new JsonObject().put("url", options.url()), reason));
  }

  /**
   * Lets the round under way finish its delete, then deletes what is still pending, once, so a stopping
   * monitor leaves no probe post behind when the site can take the delete; then its own web client is closed.
   */
  @Override
  public Future<Void> close() {
    return inFlight.transform(done -> Future.join(List.copyOf(pendingDeletes.entrySet()).stream()
        .map(pending -> deleteRequest(pending.getKey(), pending.getValue())).toList()))
      .transform(done -> {
        client.close();
        return Future.succeededFuture();
      });
  }
}
