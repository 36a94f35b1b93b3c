package com.foobar.platform.app;

import com.foobar.platform.common.HttpStatusException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API of the message board under {@code /api/posts}. Creating a post hands its author an edit token,
 * once; changing or deleting it needs that token ({@link EditTokens}). Writes carrying an
 * {@code Idempotency-Key} run at most once ({@link Writes}).
 */
final class PostsApi {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  private static final Logger AUDIT = LoggerFactory.getLogger("com.foobar.platform.app.audit");

  private final PostRepository posts;
  private final Writes writes;

  PostsApi(PostRepository posts, Writes writes) {
    this.posts = posts;
    this.writes = writes;
  }

  void mount(Router router, int maxBodySize) {
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(maxBodySize));
    router.get("/api/posts").handler(this::list);
    router.post("/api/posts").handler(this::create);
    router.get("/api/posts/:id").handler(this::get);
    router.put("/api/posts/:id").handler(this::update);
    router.delete("/api/posts/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    String before = ctx.queryParams().get("before");
    Long cursor = before == null ? null : idFrom(before, "before");
    respond(ctx, posts.list(limit, cursor, ConsistencyToken.from(ctx)).map(page -> {
      JsonArray items = new JsonArray();
      page.posts().forEach(post -> items.add(post.toJson()));
      return new JsonObject().put("posts", items)
        .put("next", page.next() == null ? null : page.next().toString());
    }));
  }

  private void get(RoutingContext ctx) {
    long id = idFrom(ctx.pathParam("id"), "id");
    respond(ctx, posts.find(id, ConsistencyToken.from(ctx)).map(Post::toJson));
  }

  /** 201 with the post, its {@code Location} and its edit token: the only time the token is ever sent. */
  private void create(RoutingContext ctx) {
    PostInput input = PostInput.from(jsonBody(ctx));
    IdempotencyKey key = IdempotencyKey.from(ctx);
    String token = EditTokens.generate();
    Buffer hash = EditTokens.hashOf(token);
    send(ctx, writes.run(key, key == null ? null : Writes.fingerprint(ctx), connection -> posts
      .insert(connection, input, hash)
      .map(post -> Answer.created(post.toJson().put("editToken", token), "/api/posts/" + post.id()))));
  }

  private void update(RoutingContext ctx) {
    long id = idFrom(ctx.pathParam("id"), "id");
    PostInput input = PostInput.from(jsonBody(ctx));
    IdempotencyKey key = IdempotencyKey.from(ctx);
    Buffer presented = EditTokens.hashOf(EditTokens.presented(ctx.request()));
    send(ctx, writes.run(key, key == null ? null : Writes.fingerprint(ctx), connection -> posts
      .updateAsAuthor(connection, id, input, presented).map(post -> Answer.ok(post.toJson()))));
  }

  private void delete(RoutingContext ctx) {
    long id = idFrom(ctx.pathParam("id"), "id");
    IdempotencyKey key = IdempotencyKey.from(ctx);
    Buffer presented = EditTokens.hashOf(EditTokens.presented(ctx.request()));
    send(ctx, writes.run(key, key == null ? null : Writes.fingerprint(ctx), connection -> posts
        .deleteAsAuthor(connection, id, presented).map(deleted -> Answer.noContent()))
      .onComplete(done -> AUDIT.info("post {} {} (request {}, client {})", id, done.succeeded()
        ? (done.result().replayed() ? "delete replayed for its author" : "deleted by its author")
        : "delete refused: " + done.cause().getMessage(), RequestIds.of(ctx), clientOf(ctx))));
  }

  /** The client as the balancer saw it ({@code X-Forwarded-For}), else the peer. */
  static String clientOf(RoutingContext ctx) {
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded != null && !forwarded.isBlank()) {
      return forwarded.strip();
    }
    return ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
  }

  private static void send(RoutingContext ctx, Future<Answer> answer) {
    answer.onComplete(done -> {
      if (done.succeeded()) {
        done.result().send(ctx);
      } else {
        ctx.fail(done.cause());
      }
    });
  }

  private static void respond(RoutingContext ctx, Future<JsonObject> result) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(done.result().encode());
      } else {
        ctx.fail(done.cause());
      }
    });
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      throw new HttpStatusException(415, "unsupported_media_type", "send the post as application/json");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw HttpStatusException.badRequest(null, "the body must be a JSON object with author, title and body");
    }
    try {
      Object parsed = Json.decodeValue(body);
      if (!(parsed instanceof JsonObject)) {
        throw HttpStatusException.badRequest(null, "the body must be a JSON object, not " + kind(parsed));
      }
      return (JsonObject) parsed;
    } catch (DecodeException e) {
      throw new HttpStatusException(400, "invalid_json", "the body is not valid JSON");
    }
  }

  private static String kind(Object parsed) {
    return parsed instanceof JsonArray ? "an array" : "a " + (parsed == null ? "null" : "scalar");
  }

  static long idFrom(String text, String field) {
    if (text == null || !text.matches("[1-9][0-9]{0,18}")) {
      throw HttpStatusException.badRequest(field, field + " must be a positive integer");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw HttpStatusException.badRequest(field, field + " is too large");
    }
  }

  static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String text = ctx.queryParams().get(name);
    if (text == null) {
      return fallback;
    }
    if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
      throw HttpStatusException.badRequest(name, name + " must be an integer from " + min + " to " + max);
    }
    return Integer.parseInt(text);
  }
}
