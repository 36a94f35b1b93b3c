package com.foobar.platform.app;

import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.HttpStatusException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Function;

/**
 * Moderation: an operator's act, on the management port only, behind the management token that guards every
 * {@code /admin/*} route there ({@code ManagementEndpoints}). The public port has no such routes (404).
 * <ul>
 *   <li>{@code GET /admin/posts?limit=&before=}: every post, hidden ones too, with {@code hidden} and
 *   {@code hasEditToken};</li>
 *   <li>{@code GET /admin/posts/{id}}: one;</li>
 *   <li>{@code POST /admin/posts/{id}/hide} and {@code /unhide}: take it off the public API, or put it back;</li>
 *   <li>{@code DELETE /admin/posts/{id}}: delete any post, with or without an edit token.</li>
 * </ul>
 * Every change is logged on {@code com.foobar.platform.app.audit} with its request id.
 */
final class Moderation {

  private static final Logger AUDIT = LoggerFactory.getLogger("com.foobar.platform.app.audit");

  private final Database database;
  private final PostRepository posts;
  private final Function<Throwable, Optional<HttpStatusException>> classifier;

  /** {@code classifier}: the app's mapping of domain and database failures to statuses. */
  Moderation(Database database, PostRepository posts, Function<Throwable, Optional<HttpStatusException>> classifier) {
    this.database = database;
    this.posts = posts;
    this.classifier = classifier;
  }

  void mount(Router router) {
    // Ahead of the management router's generic failure handler, which knows no post or database failures.
    router.route("/admin/posts*").order(-1).failureHandler(ErrorResponses.failureHandler(classifier));
    router.get("/admin/posts").handler(this::list);
    router.get("/admin/posts/:id").handler(ctx -> respond(ctx, database.write(connection ->
      posts.findAny(connection, id(ctx))).map(Moderation::toJson)));
    router.post("/admin/posts/:id/hide").handler(ctx -> hide(ctx, true));
    router.post("/admin/posts/:id/unhide").handler(ctx -> hide(ctx, false));
    router.delete("/admin/posts/:id").handler(this::delete);
  }

  /** Read on the writer: a moderator acting on what they just saw must not see a replica's older state. */
  private void list(RoutingContext ctx) {
    int limit = PostsApi.intParam(ctx, "limit", PostsApi.DEFAULT_LIMIT, 1, PostsApi.MAX_LIMIT);
    String before = ctx.queryParams().get("before");
    Long cursor = before == null ? null : PostsApi.idFrom(before, "before");
    respond(ctx, database.write(connection -> posts.listAny(connection, limit, cursor)).map(found -> {
      JsonArray items = new JsonArray();
      found.forEach(post -> items.add(toJson(post)));
      return new JsonObject().put("posts", items);
    }));
  }

  private void hide(RoutingContext ctx, boolean hidden) {
    long id = id(ctx);
    respond(ctx, database.write(connection -> posts.setHidden(connection, id, hidden))
      .onComplete(done -> audit(ctx, id, (hidden ? "hide" : "unhide"), done.failed() ? done.cause() : null))
      .map(Moderation::toJson));
  }

  private void delete(RoutingContext ctx) {
    long id = id(ctx);
    database.write(connection -> posts.deleteAny(connection, id))
      .onComplete(done -> audit(ctx, id, "delete", done.failed() ? done.cause() : null))
      .onComplete(done -> {
        if (done.succeeded()) {
          ctx.response().setStatusCode(204).end();
        } else {
          ctx.fail(done.cause());
        }
      });
  }

  private static void audit(RoutingContext ctx, long id, String action, Throwable failure) {
    AUDIT.info("moderation: post {} {} (request {}, from {})", id,
      failure == null ? action + " done" : action + " failed: " + failure.getMessage(), RequestIds.of(ctx),
      PostsApi.clientOf(ctx));
  }

  private static long id(RoutingContext ctx) {
    return PostsApi.idFrom(ctx.pathParam("id"), "id");
  }

  private static JsonObject toJson(PostRepository.Moderated moderated) {
    return moderated.post().toJson().put("hidden", moderated.hidden()).put("hasEditToken", moderated.hasEditToken());
  }

  private static void respond(RoutingContext ctx, Future<JsonObject> result) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        ctx.json(done.result());
      } else {
        ctx.fail(done.cause());
      }
    });
  }
}
