package com.foobar.platform.app.db;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/**
 * Read-your-writes: the GTID of a client's last write ({@code domain-server-sequence}, MariaDB's
 * {@code @@last_gtid}), handed to the client as a response header and a short-lived cookie, and taken back
 * from either on the client's next reads.
 */
public record ConsistencyToken(String gtid) {

  public static final String HEADER = "X-Consistency-Token";
  public static final String COOKIE = "foobar_gtid";
  /** Long enough to cover any sane replication delay; a stale token only costs one bounded wait. */
  static final long COOKIE_MAX_AGE_SECONDS = 60;
  private static final Pattern GTID = Pattern.compile("[0-9]{1,10}-[0-9]{1,10}-[0-9]{1,20}");

  /** The token a request carries (header first, then cookie), or null; malformed tokens are ignored. */
  public static ConsistencyToken from(RoutingContext ctx) {
    String value = ctx.request().getHeader(HEADER);
    if (value == null) {
      Cookie cookie = ctx.request().getCookie(COOKIE);
      value = cookie == null ? null : cookie.getValue();
    }
    return value != null && GTID.matcher(value).matches() ? new ConsistencyToken(value) : null;
  }

  public static ConsistencyToken of(String gtid) {
    return gtid != null && GTID.matcher(gtid).matches() ? new ConsistencyToken(gtid) : null;
  }

  /** Sends the token back: the header for API clients, the cookie for browsers. */
  public void attachTo(RoutingContext ctx) {
    ctx.response().putHeader(HEADER, gtid);
    ctx.response().addCookie(Cookie.cookie(COOKIE, gtid).setPath("/").setHttpOnly(true)
      .setSameSite(CookieSameSite.LAX).setMaxAge(COOKIE_MAX_AGE_SECONDS)
      .setSecure("https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"))));
  }
}
