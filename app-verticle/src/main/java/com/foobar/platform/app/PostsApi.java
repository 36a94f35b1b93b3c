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

/** The JSON API of the message board under {@code /api/posts}. */
final class PostsApi {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private final PostRepository posts;

  PostsApi(PostRepository posts) {
    this.posts = posts;
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
    }), 200);
  }

  private void get(RoutingContext ctx) {
    long id = idFrom(ctx.pathParam("id"), "id");
    respond(ctx, posts.find(id, ConsistencyToken.from(ctx)).map(Post::toJson), 200);
  }

  private void create(RoutingContext ctx) {
    PostInput input = PostInput.from(jsonBody(ctx));
    respond(ctx, posts.create(input)
      .onSuccess(written -> ctx.response().putHeader(HttpHeaders.LOCATION, "/api/posts/" + written.value().id()))
      .map(written -> tokenSent(ctx, written).toJson()), 201);
  }

  private void update(RoutingContext ctx) {
    long id = idFrom(ctx.pathParam("id"), "id");
    PostInput input = PostInput.from(jsonBody(ctx));
    respond(ctx, posts.update(id, input).map(written -> tokenSent(ctx, written).toJson()), 200);
  }

  private void delete(RoutingContext ctx) {
    long id = idFrom(ctx.pathParam("id"), "id");
    posts.delete(id).onComplete(done -> {
      if (done.succeeded()) {
        tokenSent(ctx, done.result());
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.fail(done.cause());
      }
    });
  }

  /** Hands the write's consistency token to the client, so its next reads see the write. */
  private static <T> T tokenSent(RoutingContext ctx, PostRepository.Written<T> written) {
    if (written.token() != null) {
      written.token().attachTo(ctx);
    }
    return written.value();
  }

  private static void respond(RoutingContext ctx, Future<JsonObject> result, int status) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(done.result().encode());
      } else {
        ctx.fail(done.cause());
      }
    });
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
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

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
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
