package com.foobar.platform.app.web;

import com.foobar.platform.common.logging.RequestContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * The first handler of the public router: every log line a request causes names the balancer's id for it
 * ({@code RequestIdFilter}), and every response names the server ({@code X-Served-By}) and carries the site's
 * security headers.
 */
public final class SiteHeaders implements Handler<RoutingContext> {

  /**
   * The page loads its script, style and icon from its own origin only (no inline code, so a stored
   * {@code <script>} in a post could not run even if it were ever rendered as HTML); it may not be framed
   * (clickjacking); browsers must not guess content types; other sites get no path in the Referer. HSTS is the
   * balancer's, which knows whether the request came over HTTPS.
   */
  private static final Map<String, String> SECURITY_HEADERS = Map.of(
    "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options", "nosniff",
    "X-Frame-Options", "DENY",
    "Referrer-Policy", "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy", "same-origin");

  private final String server;

  public SiteHeaders(String server) {
    this.server = server;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String requestId = ctx.request().getHeader(RequestIds.HEADER);
    if (requestId != null) {
      RequestContext.set(requestId);
    }
    ctx.response().putHeader("X-Served-By", server);
    SECURITY_HEADERS.forEach(ctx.response()::putHeader);
    ctx.next();
  }
}
