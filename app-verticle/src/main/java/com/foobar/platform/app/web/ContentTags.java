package com.foobar.platform.app.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strong ETags derived from a file's bytes (the first 128 bits of its SHA-256), so every server of the site
 * answers the same validator for the same file whatever its modification time there: a revalidation the round
 * robin sends to another server still gets its 304. Each file version (path, size, modification time) is hashed
 * once, off the event loop, and remembered for the whole server (the versions are facts, any event loop may share
 * them).
 */
final class ContentTags {

  private static final int MAX_ENTRIES = 10_000;
  private static final int CHUNK = 64 * 1024;
  private static final Map<String, String> TAGS = new ConcurrentHashMap<>();

  private ContentTags() {
  }

  /** The ETag of the file's bytes as of this size and modification time; computed the first time only. */
  static Future<String> of(Vertx vertx, String path, long size, long lastModifiedMillis) {
    String version = path + '\0' + size + '\0' + lastModifiedMillis;
    String known = TAGS.get(version);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.executeBlocking(() -> digest(Path.of(path)), false).onSuccess(tag -> {
      if (TAGS.size() >= MAX_ENTRIES) {
        TAGS.clear();
      }
      TAGS.put(version, tag);
    });
  }

  static String digest(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] chunk = new byte[CHUNK];
      for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
        sha.update(chunk, 0, read);
      }
      return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 16)) + '"';
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
