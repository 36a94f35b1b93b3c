package com.foobar.platform.app.posts;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The edit token of a post: 256 random bits from {@link SecureRandom}, base64url without padding, handed to the
 * author once in the answer to the POST that created the post. Only its SHA-256 is stored, so a copy of the
 * database (a backup, a replica's disk) lets nobody change a post. The author sends it back with a PUT or
 * DELETE as {@code Authorization: Bearer <token>} or {@code X-Edit-Token: <token>}.
 */
final class EditTokens {

  static final String HEADER = "X-Edit-Token";
  static final int BYTES = 32;
  /** Longer than any token we hand out; a longer credential is refused unread (it cannot match). */
  static final int MAX_LENGTH = 256;
  private static final String BEARER = "Bearer ";
  private static final SecureRandom RANDOM = new SecureRandom();

  private EditTokens() {
  }

  static String generate() {
    byte[] token = new byte[BYTES];
    RANDOM.nextBytes(token);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  /** The credential a request presents, or null when it sends none. */
  static String presented(HttpServerRequest request) {
    String direct = request.getHeader(HEADER);
    if (direct != null) {
      return direct.strip();
    }
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return authorization.substring(BEARER.length()).strip();
    }
    return null;
  }

  /** SHA-256 of a presented credential, as stored in {@code posts.edit_token_hash}; null for none or junk. */
  static Buffer hashOf(String presented) {
    if (presented == null || presented.isEmpty() || presented.length() > MAX_LENGTH) {
      return null;
    }
    return Buffer.buffer(sha256(presented.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
