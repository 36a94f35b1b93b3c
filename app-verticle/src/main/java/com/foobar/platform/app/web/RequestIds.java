package com.foobar.platform.app.web;

import com.foobar.platform.common.logging.RequestContext;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * The id a request is logged under: the balancer's {@code X-Request-Id} (also in its access log), or, for a
 * request that did not come through the balancer (the management port), a fresh one, sent back in the response
 * so the operator can find the line.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "foobar.requestId";

  private RequestIds() {
  }

  public static String of(RoutingContext ctx) {
    String known = ctx.get(KEY);
    if (known != null) {
      return known;
    }
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && !given.isBlank() && given.length() <= 128 ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    RequestContext.set(id);
    if (!ctx.response().headWritten()) {
      ctx.response().putHeader(HEADER, id);
    }
    return id;
  }
}
