package com.foobar.platform.app.posts;

import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Requests of the monitor's synthetic probe ({@code monitor.probe.SyntheticProbe}): they carry the management
 * token in {@value #HEADER}. A probe's post is marked in its row ({@code posts.probe}) and lives apart from the
 * visitors' ones: a probe request sees, changes and deletes probe posts only, every visitor's read (the list, a
 * post by id) leaves them out, so the probe exercises the real write, read and delete path without a visitor ever
 * seeing or counting its posts. Only the token can set the mark: a wrong one is refused ({@link ProbeRefused}),
 * never taken for a visitor's request, so a misconfigured probe fails loudly instead of posting in public.
 */
public final class ProbeRequests {

  public static final String HEADER = "X-Foobar-Probe";

  private final byte[] token;

  /** With the management token the app was given, if any (without one no request is a probe's). */
  public ProbeRequests(Optional<String> token) {
    this.token = token.map(value -> value.getBytes(StandardCharsets.UTF_8)).orElse(null);
  }

  /** Whether {@code request} is the probe's; a {@value #HEADER} that does not carry the token is refused. */
  boolean isProbe(HttpServerRequest request) {
    String presented = request.getHeader(HEADER);
    if (presented == null) {
      return false;
    }
    // MessageDigest.isEqual takes the same time wherever the bytes differ.
    if (token == null || !MessageDigest.isEqual(token, presented.trim().getBytes(StandardCharsets.UTF_8))) {
      throw new ProbeRefused();
    }
    return true;
  }
}
