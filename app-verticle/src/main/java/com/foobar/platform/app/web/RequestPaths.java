package com.foobar.platform.app.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a raw request path into a path relative to the document root, refusing what could escape it. The raw
 * path is decoded here, once, so that an encoded {@code %2e%2e} or {@code %5c} is judged exactly like a literal
 * one: dot segments, backslashes, NUL and malformed escapes are a {@link BadPath}; a segment starting with a dot (hidden
 * files such as {@code .env} or {@code .git/}) is treated as absent.
 */
final class RequestPaths {

  private RequestPaths() {
  }

  /**
   * @return the decoded path without its leading slash, or {@code null} when it names a hidden file
   * @throws BadPath when the path is malformed or tries to leave the document root
   */
  static String relative(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      throw bad("the path must start with /");
    }
    String path = decode(rawPath);
    if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
      throw bad("the path contains a NUL or a backslash");
    }
    boolean hidden = false;
    for (String segment : path.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        throw bad("the path contains a dot segment");
      }
      hidden |= segment.startsWith(".");
    }
    return hidden ? null : path.substring(1);
  }

  private static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      if (i + 2 >= raw.length()) {
        throw bad("the path has a truncated %-escape");
      }
      int high = Character.digit(raw.charAt(i + 1), 16);
      int low = Character.digit(raw.charAt(i + 2), 16);
      if (high < 0 || low < 0) {
        throw bad("the path has a malformed %-escape");
      }
      bytes.write(high << 4 | low);
      i += 2;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static BadPath bad(String message) {
    return new BadPath(message);
  }
}
