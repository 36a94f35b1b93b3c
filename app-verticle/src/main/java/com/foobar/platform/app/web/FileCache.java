package com.foobar.platform.app.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileProps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Per event loop memory of the file system, so a busy file costs no system call per request: file metadata
 * (absent files included, each regular file with its content-derived ETag) for a short, configurable time; gzipped bodies, and the bytes of small files, keyed by
 * their file's ETag, each up to a byte budget (least recently used dropped first). Not thread-safe by design: one
 * instance per verticle.
 */
final class FileCache {

  private static final int MAX_ENTRIES = 10_000;

  private record Timed(FileInfo info, long expiresAt) {
  }

  private final Vertx vertx;
  private final long ttlMs;
  private final int compressionLevel;
  // Concurrent: a handler is normally used by one event loop, but a server created outside a verticle
  // spreads its connections over several, and a HashMap corrupted by two threads can loop forever.
  private final Map<String, Timed> infos = new ConcurrentHashMap<>();
  private final BodyCache compressed;
  private final BodyCache small;

  FileCache(Vertx vertx, StaticFilesOptions options) {
    this.vertx = vertx;
    this.ttlMs = options.fileCacheMs();
    this.compressionLevel = options.compressionLevel();
    this.compressed = new BodyCache(options.compressedCacheSize());
    this.small = new BodyCache(options.memoryCacheSize());
  }

  /** The file's metadata; completes at once when it is cached. Never fails: a file that cannot be read is absent. */
  Future<FileInfo> info(String path) {
    long now = System.currentTimeMillis();
    Timed cached = infos.get(path);
    if (cached != null && cached.expiresAt > now) {
      return Future.succeededFuture(cached.info);
    }
    return vertx.fileSystem().props(path)
      .compose(props -> toInfo(path, props))
      .otherwise(failure -> FileInfo.missing(path))
      .onSuccess(info -> remember(path, info));
  }

  /** A regular file's ETag is derived from its bytes ({@link ContentTags}), the same on every server. */
  private Future<FileInfo> toInfo(String path, FileProps props) {
    if (props.isDirectory()) {
      return Future.succeededFuture(FileInfo.of(path, true, props.size(), props.lastModifiedTime(), null));
    }
    if (!props.isRegularFile()) {
      return Future.succeededFuture(FileInfo.missing(path));
    }
    return ContentTags.of(vertx, path, props.size(), props.lastModifiedTime())
      .map(etag -> FileInfo.of(path, false, props.size(), props.lastModifiedTime(), etag));
  }

  private void remember(String path, FileInfo info) {
    if (ttlMs == 0) {
      return;
    }
    if (infos.size() >= MAX_ENTRIES) {
      infos.clear();
    }
    infos.put(path, new Timed(info, System.currentTimeMillis() + ttlMs));
  }

  /** The file gzipped, compressed off the event loop the first time and then kept while the budget allows. */
  Future<Buffer> gzipped(FileInfo file) {
    return remembered(compressed, file, () -> vertx.fileSystem().readFile(file.path())
      .compose(content -> vertx.executeBlocking(() -> gzip(content.getBytes(), compressionLevel), false)));
  }

  /**
   * A small file's bytes from memory: for a few KiB, opening the file for sendfile costs more than the copy
   * it saves. Keyed by ETag, so a changed file is read again once its metadata expires.
   */
  Future<Buffer> content(FileInfo file) {
    return remembered(small, file, () -> vertx.fileSystem().readFile(file.path())
      .compose(body -> body.length() == file.size() ? Future.succeededFuture(body)
        : Future.failedFuture(new IllegalStateException(file.path() + " changed while being read"))));
  }

  /** A body of {@code file} from {@code cache} (keyed by path and ETag), else loaded and then kept. */
  private static Future<Buffer> remembered(BodyCache cache, FileInfo file, Supplier<Future<Buffer>> load) {
    String key = file.path() + '\0' + file.etag();
    Buffer cached = cache.get(key);
    return cached != null ? Future.succeededFuture(cached) : load.get().onSuccess(body -> cache.put(key, body));
  }

  static Buffer gzip(byte[] content, int level) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, content.length / 3));
    try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
      {
        def.setLevel(level);
      }
    }) {
      gzip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }
}
