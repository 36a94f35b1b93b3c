package com.foobar.platform.app.web;

import java.util.Locale;

/** Small parsers for content negotiation and entity tags (RFC 9110 sections 12.5.3 and 8.8.3). */
final class Encodings {

  private Encodings() {
  }

  /** Whether Accept-Encoding allows gzip: listed (or {@code *}) with a quality above zero. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    Boolean star = null;
    for (String item : acceptEncoding.split(",")) {
      String[] parts = item.split(";");
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      boolean allowed = quality(parts) > 0;
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        return allowed;
      }
      if (coding.equals("*")) {
        star = allowed;
      }
    }
    return Boolean.TRUE.equals(star);
  }

  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
        try {
          return Double.parseDouble(parameter.substring(2).trim());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }

  /**
   * Whether a list of entity tags (or {@code *}) matches {@code etag}. Strong comparison fails for weak tags;
   * weak comparison ignores the {@code W/} prefix.
   */
  static boolean anyTagMatches(String list, String etag, boolean strong) {
    if (!strong && list.trim().equals("*")) {
      return true;
    }
    for (String tag : list.split(",")) {
      String candidate = tag.trim();
      boolean weak = candidate.startsWith("W/");
      if (weak && strong) {
        continue;
      }
      if ((weak ? candidate.substring(2) : candidate).equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
