package com.foobar.platform.common;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token that guards every tier's management endpoints, read from {@code FOOBAR_MANAGEMENT_TOKEN},
 * else from the file {@code FOOBAR_MANAGEMENT_TOKEN_FILE} names, else from the system property
 * {@code foobar.management.token} (for tiers embedded in one JVM, as the tests do). {@code /admin/*} always needs
 * it: with no token configured the admin API refuses every request. {@code /metrics} needs it once a token is
 * configured, so a scraper must send {@code Authorization: Bearer <token>}. {@code /health*} stays open
 * for load balancers and orchestrators; it says up or down, nothing an attacker can use.
 */
public final class ManagementToken {

  public static final String ENV = "FOOBAR_MANAGEMENT_TOKEN";
  public static final String ENV_FILE = "FOOBAR_MANAGEMENT_TOKEN_FILE";
  public static final String PROPERTY = "foobar.management.token";
  private static final Logger LOG = LoggerFactory.getLogger(ManagementToken.class);

  private ManagementToken() {
  }

  /** The configured token from the process environment (or the system property), if any. */
  public static Optional<String> configured() {
    return from(System.getenv(), System.getProperty(PROPERTY));
  }

  static Optional<String> from(Map<String, String> env, String property) {
    String direct = env.get(ENV);
    if (direct != null && !direct.isBlank()) {
      return Optional.of(direct.trim());
    }
    String file = env.get(ENV_FILE);
    if (file != null && !file.isBlank()) {
      try {
        String token = Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) {
          throw new IllegalArgumentException(ENV_FILE + " names an empty file: " + file);
        }
        return Optional.of(token);
      } catch (IOException e) {
        throw new UncheckedIOException(ENV_FILE + ": cannot read " + file, e);
      }
    }
    return property == null || property.isBlank() ? Optional.empty() : Optional.of(property.trim());
  }

  /**
   * A name for a token that can go into logs: the first 12 hex digits of its SHA-256, so an audit line says which
   * token made a change without revealing it. {@code "none"} for a missing one.
   */
  public static String id(String token) {
    if (token == null || token.isEmpty()) {
      return "none";
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The token id ({@link #id}) of an {@code Authorization: Bearer} header value. */
  public static String idOfHeader(String authorization) {
    return authorization != null && authorization.startsWith("Bearer ") ? id(authorization.substring(7).trim()) : "none";
  }

  /** The header value a client sends. */
  public static String bearer(String token) {
    return "Bearer " + token;
  }

  /**
   * A route handler passing requests that carry the token, answering others 401 (JSON, with
   * {@code WWW-Authenticate: Bearer}). With no token and {@code required}, every request gets the 401.
   */
  public static Handler<RoutingContext> guard(Optional<String> token, boolean required) {
    if (token.isEmpty() && !required) {
      return RoutingContext::next;
    }
    byte[] expected = token.map(t -> bearer(t).getBytes(StandardCharsets.UTF_8)).orElse(null);
    return ctx -> {
      String sent = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
      // Constant-time comparison, so response timing does not reveal how much of a guess was right.
      if (expected != null && sent != null && MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.UTF_8))) {
        ctx.next();
        return;
      }
      LOG.debug("management request {} {} without a valid token from {}", ctx.request().method(),
        ctx.request().path(), ctx.request().remoteAddress());
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"foobar-management\"");
      ctx.fail(new HttpStatusException(401, "unauthorized", expected == null
        ? "the admin API is disabled until a token is configured (" + ENV + " or " + ENV_FILE + ")"
        : "send Authorization: Bearer <token> (" + ENV + " or " + ENV_FILE + ")"));
    };
  }
}
