package com.foobar.platform.app.posts;

import com.foobar.platform.app.web.RequestIds;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log ({@code com.foobar.platform.app.audit}): every moderation and every delete through the public API,
 * refused ones too, with the request id (the balancer's, also in its access log) and the client's address.
 */
final class Audit {

  private static final Logger LOG = LoggerFactory.getLogger("com.foobar.platform.app.audit");

  private Audit() {
  }

  /** An author's delete through the public API. */
  static void delete(RoutingContext ctx, long id, String outcome) {
    LOG.info("post {} {} (request {}, client {})", id, outcome, RequestIds.of(ctx), clientOf(ctx));
  }

  /** A moderator's act on the management port; {@code failure} null when it was done. */
  static void moderation(RoutingContext ctx, long id, String action, Throwable failure) {
    LOG.info("moderation: post {} {} (request {}, from {})", id,
      failure == null ? action + " done" : action + " failed: " + failure.getMessage(), RequestIds.of(ctx),
      clientOf(ctx));
  }

  /** The client as the balancer saw it ({@code X-Forwarded-For}), else the peer. */
  private static String clientOf(RoutingContext ctx) {
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded != null && !forwarded.isBlank()) {
      return forwarded.strip();
    }
    return ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
  }
}
