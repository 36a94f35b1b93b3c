package com.foobar.platform.app.posts;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * What the posts API and moderation read from a request (a JSON body, an id, a page's limit and cursor), failing
 * with {@link InvalidInput}, and how they answer with JSON.
 */
final class PostsRequests {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  /** A page of a listing: at most {@code limit} posts older than {@code before} (null: from the newest). */
  record PageQuery(int limit, Long before) {
  }

  private PostsRequests() {
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      throw new InvalidInput(InvalidInput.Kind.NOT_JSON_CONTENT, null, "send the post as application/json");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw InvalidInput.field(null, "the body must be a JSON object with author, title and body");
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new InvalidInput(InvalidInput.Kind.NOT_JSON, null, "the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject)) {
      throw InvalidInput.field(null, "the body must be a JSON object, not " + kind(parsed));
    }
    return (JsonObject) parsed;
  }

  private static String kind(Object parsed) {
    return parsed instanceof JsonArray ? "an array" : "a " + (parsed == null ? "null" : "scalar");
  }

  /** The {@code :id} of the path. */
  static long id(RoutingContext ctx) {
    return idFrom(ctx.pathParam("id"), "id");
  }

  static PageQuery page(RoutingContext ctx) {
    int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    String before = ctx.queryParams().get("before");
    return new PageQuery(limit, before == null ? null : idFrom(before, "before"));
  }

  private static long idFrom(String text, String field) {
    if (text == null || !text.matches("[1-9][0-9]{0,18}")) {
      throw InvalidInput.field(field, field + " must be a positive integer");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw InvalidInput.field(field, field + " is too large");
    }
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String text = ctx.queryParams().get(name);
    if (text == null) {
      return fallback;
    }
    if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
      throw InvalidInput.field(name, name + " must be an integer from " + min + " to " + max);
    }
    return Integer.parseInt(text);
  }

  /** 200 with the JSON, or the failure to the router's failure handler (the app's one error mapper). */
  static void respond(RoutingContext ctx, Future<JsonObject> result) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        ctx.json(done.result());
      } else {
        ctx.fail(done.cause());
      }
    });
  }
}
