package com.foobar.platform.app.web;

import io.vertx.core.http.MimeMapping;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Content types of static files: Vert.x's table (derived from Apache's mime.types, about a thousand
 * extensions), completed with the web types it lacks, {@code application/octet-stream} for anything unknown
 * (so a browser never sniffs), and the UTF-8 charset on text.
 */
final class MimeTypes {

  static final String DEFAULT = "application/octet-stream";

  /** Web types missing from or outdated in Vert.x's table. */
  private static final Map<String, String> EXTRA = Map.of(
    "avif", "image/avif",
    "map", "application/json",
    "md", "text/markdown",
    "webmanifest", "application/manifest+json",
    "woff", "font/woff",
    "gz", "application/gzip",
    "br", "application/x-brotli",
    "mjs", "text/javascript");

  private static final Set<String> COMPRESSIBLE_APPLICATION = Set.of("application/javascript", "application/json",
    "application/xml", "application/manifest+json", "application/wasm", "application/x-javascript",
    "application/vnd.ms-fontobject", "image/svg+xml", "image/x-icon", "font/ttf", "font/otf");

  private MimeTypes() {
  }

  /** The Content-Type header for a file name. */
  static String contentType(String fileName) {
    String type = typeOf(fileName);
    return charsetless(type) ? type : type + "; charset=utf-8";
  }

  private static String typeOf(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0 || dot == fileName.length() - 1) {
      return DEFAULT;
    }
    String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    String type = EXTRA.get(extension);
    if (type == null) {
      type = MimeMapping.mimeTypeForExtension(extension);
    }
    return type == null ? DEFAULT : type;
  }

  private static boolean charsetless(String type) {
    return !(type.startsWith("text/") || type.equals("application/json") || type.equals("application/javascript")
      || type.equals("application/manifest+json"));
  }

  /** Whether gzip pays off for this Content-Type (text and text-like formats; never images, archives, media). */
  static boolean compressible(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.startsWith("text/") || COMPRESSIBLE_APPLICATION.contains(type)
      || type.endsWith("+json") || type.endsWith("+xml");
  }
}
