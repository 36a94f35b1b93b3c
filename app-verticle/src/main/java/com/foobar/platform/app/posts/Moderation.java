package com.foobar.platform.app.posts;

import com.foobar.platform.app.db.Database;
import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.HttpStatusException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.function.Function;

/**
 * Moderation: an operator's act, on the management port only, behind the management token that guards every
 * {@code /admin/*} route there ({@code ManagementEndpoints}). The public port has no such routes.
 * <ul>
 *   <li>{@code GET /admin/posts?limit=&before=}: every post, hidden ones too, with {@code hidden} and
 *   {@code hasEditToken};</li>
 *   <li>{@code GET /admin/posts/{id}}: one;</li>
 *   <li>{@code POST /admin/posts/{id}/hide} and {@code /unhide}: take it off the public API, or put it back;</li>
 *   <li>{@code DELETE /admin/posts/{id}}: delete any post, with or without an edit token.</li>
 * </ul>
 * Every change is written to the audit log ({@link Audit}) with its request id. Everything runs on the writer: a
 * moderator acting on what they just saw must not see a replica's older state.
 */
public final class Moderation {

  private final Database database;
  private final PostRepository posts;
  private final Function<Throwable, Optional<HttpStatusException>> errors;

  Moderation(Database database, PostRepository posts, Function<Throwable, Optional<HttpStatusException>> errors) {
    this.database = database;
    this.posts = posts;
    this.errors = errors;
  }

  /** {@code errors}: the app's one mapping of failures to statuses (the management router's own knows none). */
  public static Moderation create(Database database, Function<Throwable, Optional<HttpStatusException>> errors) {
    return new Moderation(database, new PostRepository(database), errors);
  }

  public void mount(Router router) {
    // Ahead of the management router's generic failure handler, which knows no post or database failures.
    router.route("/admin/posts*").order(-1).failureHandler(ErrorResponses.failureHandler(errors));
    router.get("/admin/posts").handler(this::list);
    router.get("/admin/posts/:id").handler(ctx -> PostsRequests.respond(ctx, database.write(connection ->
      posts.findAny(connection, PostsRequests.id(ctx))).map(Moderation::toJson)));
    router.post("/admin/posts/:id/hide").handler(ctx -> hide(ctx, true));
    router.post("/admin/posts/:id/unhide").handler(ctx -> hide(ctx, false));
    router.delete("/admin/posts/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    PostsRequests.PageQuery page = PostsRequests.page(ctx);
    PostsRequests.respond(ctx, database.write(connection -> posts.listAny(connection, page.limit(), page.before()))
      .map(found -> {
        JsonArray items = new JsonArray();
        found.forEach(post -> items.add(toJson(post)));
        return new JsonObject().put("posts", items);
      }));
  }

  private void hide(RoutingContext ctx, boolean hidden) {
    long id = PostsRequests.id(ctx);
    PostsRequests.respond(ctx, database.write(connection -> posts.setHidden(connection, id, hidden))
      .onComplete(done -> Audit.moderation(ctx, id, hidden ? "hide" : "unhide", done.cause()))
      .map(Moderation::toJson));
  }

  private void delete(RoutingContext ctx) {
    long id = PostsRequests.id(ctx);
    database.write(connection -> posts.deleteAny(connection, id))
      .onComplete(done -> Audit.moderation(ctx, id, "delete", done.cause()))
      .onComplete(done -> {
        if (done.succeeded()) {
          ctx.response().setStatusCode(204).end();
        } else {
          ctx.fail(done.cause());
        }
      });
  }

  private static JsonObject toJson(PostRepository.Moderated moderated) {
    return moderated.post().toJson().put("hidden", moderated.hidden()).put("hasEditToken", moderated.hasEditToken());
  }
}
