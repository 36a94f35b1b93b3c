package com.foobar.platform.app.posts;

import com.foobar.platform.app.db.ConsistencyToken;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The answer to a write, as sent and as an idempotency key stores it: status, JSON body (null for none), the
 * {@code Location} of a created post, and the consistency token of the write (null when unknown). A replayed
 * answer (a repeat of a keyed request) says so in {@code Idempotent-Replayed: true}.
 */
record Answer(int status, JsonObject body, String location, ConsistencyToken token, boolean replayed) {

  static final String REPLAYED = "Idempotent-Replayed";

  static Answer created(JsonObject body, String location) {
    return new Answer(201, body, location, null, false);
  }

  static Answer ok(JsonObject body) {
    return new Answer(200, body, null, null, false);
  }

  static Answer noContent() {
    return new Answer(204, null, null, null, false);
  }

  Answer withToken(ConsistencyToken written) {
    return new Answer(status, body, location, written, replayed);
  }

  void send(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setStatusCode(status);
    if (token != null) {
      token.attachTo(ctx);
    }
    if (location != null) {
      response.putHeader(HttpHeaders.LOCATION, location);
    }
    if (replayed) {
      response.putHeader(REPLAYED, "true");
    }
    if (body == null) {
      response.end();
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }
  }
}
