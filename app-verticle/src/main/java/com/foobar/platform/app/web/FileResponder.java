package com.foobar.platform.app.web;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * Answers for one regular file: picks the representation (a precompressed {@code .gz} sibling, gzip on the fly,
 * or the file as it is), sets the validators and caching headers, then answers 304, 206, 416 or 200. The file as
 * it is goes out with {@link HttpServerResponse#sendFile}, which Vert.x turns into a zero-copy sendfile on plain
 * connections (it falls back to copying under TLS); files of a few KiB come from memory instead.
 */
final class FileResponder {

  private static final CharSequence RANGE = HttpHeaders.createOptimized("Range");
  private static final CharSequence VARY_VALUE = HttpHeaders.createOptimized("Accept-Encoding");
  private static final CharSequence IF_RANGE = HttpHeaders.createOptimized("If-Range");

  private final FileCache cache;
  private final StaticFilesOptions options;
  private final CacheControl cacheControl;

  FileResponder(FileCache cache, StaticFilesOptions options) {
    this.cache = cache;
    this.options = options;
    this.cacheControl = new CacheControl(options);
  }

  void respond(RoutingContext ctx, FileInfo file) {
    HttpServerRequest request = ctx.request();
    boolean compressible = MimeTypes.compressible(file.contentType());
    // A range is always served from the file itself: a 206 is never compressed.
    boolean wantsGzip = compressible && !request.headers().contains(RANGE)
      && Encodings.acceptsGzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING));
    if (!wantsGzip) {
      answer(ctx, file, file, compressible, false);
      return;
    }
    cache.info(file.path() + ".gz").onSuccess(gz -> {
      if (gz.regularFile()) {
        answer(ctx, file, gz, true, true);
      } else {
        boolean onTheFly = options.compress() && file.size() >= options.compressMinSize()
          && file.size() <= options.compressMaxSize();
        answer(ctx, file, file, true, onTheFly);
      }
    });
  }

  /**
   * @param file the file asked for (its name gives the type and Cache-Control)
   * @param body the file whose bytes are sent: {@code file} itself or its {@code .gz} sibling
   */
  private void answer(RoutingContext ctx, FileInfo file, FileInfo body, boolean vary, boolean gzip) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    boolean gzipOnTheFly = gzip && body == file;
    // Gzipped bytes are another representation: they get their own ETag (a .gz sibling already has one).
    String etag = gzipOnTheFly ? file.etag().substring(0, file.etag().length() - 1) + "-gzip\"" : body.etag();
    MultiMap headers = response.headers();
    headers.set(HttpHeaders.ETAG, etag)
      .set(HttpHeaders.LAST_MODIFIED, file.lastModified())
      .set(HttpHeaders.CACHE_CONTROL, cacheControl.forPath(request.path()))
      .set(HttpHeaders.CONTENT_TYPE, file.contentType());
    if (vary) {
      headers.set(HttpHeaders.VARY, VARY_VALUE);
    }
    if (notModified(request, etag, file)) {
      response.setStatusCode(304).end();
      return;
    }
    if (gzip) {
      headers.set(HttpHeaders.CONTENT_ENCODING, "gzip");
      if (gzipOnTheFly) {
        cache.gzipped(file).onSuccess(bytes -> sendBuffer(request, response, bytes)).onFailure(ctx::fail);
      } else {
        sendFile(ctx, body, 0, body.size());
      }
      return;
    }
    headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
    ByteRange range = request.method() == HttpMethod.GET && ifRangeHolds(request, file)
      ? ByteRange.parse(request.getHeader(RANGE), file.size()) : null;
    if (range == ByteRange.UNSATISFIABLE) {
      headers.remove(HttpHeaders.CONTENT_TYPE);
      response.setStatusCode(416).putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + file.size())
        .putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
    } else if (range != null) {
      response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(file.size()));
      sendFile(ctx, file, range.start(), range.length());
    } else {
      sendFile(ctx, file, 0, file.size());
    }
  }

  private static void sendBuffer(HttpServerRequest request, HttpServerResponse response, Buffer body) {
    if (request.method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length())).end();
    } else {
      response.end(body);
    }
  }

  private void sendFile(RoutingContext ctx, FileInfo body, long offset, long length) {
    HttpServerResponse response = ctx.response();
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length)).end();
      return;
    }
    if (body.size() <= options.memoryCacheMaxFileSize()) {
      cache.content(body).onSuccess(bytes -> response.end(offset == 0 && length == bytes.length()
          ? bytes : bytes.slice((int) offset, (int) (offset + length))))
        .onFailure(failure -> fail(ctx, failure));
      return;
    }
    response.sendFile(body.path(), offset, length).onFailure(failure -> fail(ctx, failure));
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    HttpServerResponse response = ctx.response();
    if (!response.headWritten()) {
      // The file vanished between its metadata and its bytes: the error must not carry the file's headers.
      response.headers().clear();
      ctx.fail(failure);
    } else {
      response.reset();
    }
  }

  /** RFC 9110 section 13.2.2: If-None-Match decides when present (weak comparison); else If-Modified-Since. */
  private static boolean notModified(HttpServerRequest request, String etag, FileInfo file) {
    String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      return Encodings.anyTagMatches(ifNoneMatch, etag, false);
    }
    Long since = parseDate(request.getHeader(HttpHeaders.IF_MODIFIED_SINCE));
    return since != null && file.lastModifiedSeconds() <= since;
  }

  /** If-Range: the range applies only to the representation the client already has (strong comparison). */
  private static boolean ifRangeHolds(HttpServerRequest request, FileInfo file) {
    String ifRange = request.getHeader(IF_RANGE);
    if (ifRange == null) {
      return true;
    }
    ifRange = ifRange.trim();
    if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
      return Encodings.anyTagMatches(ifRange, file.etag(), true);
    }
    Long date = parseDate(ifRange);
    return date != null && date == file.lastModifiedSeconds();
  }

  private static Long parseDate(String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), FileInfo.HTTP_DATE).toEpochSecond();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
