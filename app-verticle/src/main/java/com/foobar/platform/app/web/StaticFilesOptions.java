package com.foobar.platform.app.web;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How the app tier serves static files (the {@code staticFiles} object of {@code conf/app-N.json}): Cache-Control
 * rules per path pattern, on-the-fly gzip limits, and how long file metadata and small files are kept in memory.
 */
public final class StaticFilesOptions {

  /** One Cache-Control rule: the first rule whose regular expression matches the whole request path wins. */
  record CacheRule(String pattern, String value) {

    CacheRule {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("pattern " + pattern + " is not a regular expression: "
          + e.getDescription());
      }
      if (value.isBlank()) {
        throw new IllegalArgumentException("value must not be empty");
      }
    }

    /** The rule's one parser: a {@code {"pattern": ..., "value": ...}} object, nothing else in it. */
    static CacheRule parse(Object raw) {
      if (!(raw instanceof JsonObject rule) || !Set.of("pattern", "value").containsAll(rule.fieldNames())
        || !(rule.getValue("pattern") instanceof String pattern) || !(rule.getValue("value") instanceof String value)) {
        throw new IllegalArgumentException("got " + raw);
      }
      return new CacheRule(pattern, value);
    }

    JsonObject toJson() {
      return new JsonObject().put("pattern", pattern).put("value", value);
    }
  }

  /** Fingerprinted assets ({@code app.3f9a0c1d.js}) never change under their name: cached for a year. */
  static final CacheRule FINGERPRINTED = new CacheRule(
    ".*[.-][0-9a-fA-F]{8,}\\.(js|mjs|css|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|otf|wasm|map)$",
    "public, max-age=31536000, immutable");
  /** Pages are revalidated on every use (a cheap 304 with the ETag), so a deploy shows at once. */
  static final CacheRule PAGES = new CacheRule(".*(/|\\.html?)$", "no-cache");

  public static final Schema SCHEMA = new Schema("staticFiles options");
  static final Key<List<CacheRule>> CACHE_CONTROL = SCHEMA.key("cacheControl", Types.listOf(Types.parsed(
      "a {\"pattern\": <Java regex matched against the whole path>, \"value\": <Cache-Control>} rule",
      CacheRule::parse, CacheRule::toJson)), List.of(FINGERPRINTED, PAGES),
    "Cache-Control rules tried in order against the request path, the first match wins: by default fingerprinted "
      + "assets (`name.3f9a0c1d.js`, `.css`, images, fonts, ...) are immutable for a year, pages (`/`, `*.html`) "
      + "`no-cache`");
  static final Key<String> DEFAULT_CACHE_CONTROL = SCHEMA.key("defaultCacheControl", Types.nonEmptyText(),
    "public, max-age=300", "Cache-Control of files no rule matches");
  static final Key<Boolean> COMPRESS = SCHEMA.flag("compress", true,
    "gzip text files on the fly for clients that accept it (a precompressed `.gz` sibling is always used)");
  static final Key<Integer> COMPRESS_MIN_SIZE = SCHEMA.bytes("compressMinSize", 1024, 0, Integer.MAX_VALUE,
    "smaller files are not worth gzipping (about one packet, nginx's advice)");
  static final Key<Integer> COMPRESS_MAX_SIZE = SCHEMA.bytes("compressMaxSize", 4 * 1024 * 1024, 0,
    256 * 1024 * 1024, "larger files go out as they are, unless a precompressed `.gz` sibling exists");
  static final Key<Integer> COMPRESSION_LEVEL = SCHEMA.integer("compressionLevel", 6, 1, 9, "gzip level");
  static final Key<Integer> COMPRESSED_CACHE_SIZE = SCHEMA.bytes("compressedCacheSize", 16 * 1024 * 1024, 0,
    Integer.MAX_VALUE, "gzipped bodies kept in memory per event loop, so a file is compressed once, not per request");
  static final Key<Integer> FILE_CACHE = SCHEMA.millis("fileCacheMs", 1000, 0, 3_600_000,
    "how long a file's size and time (and absence) are reused before asking the file system again (0: never)",
    "fileCacheMillis");
  static final Key<Integer> MEMORY_CACHE_MAX_FILE_SIZE = SCHEMA.bytes("memoryCacheMaxFileSize", 16 * 1024, 0,
    64 * 1024 * 1024, "files up to this size are answered from memory; larger ones with zero-copy sendfile (0: all)");
  static final Key<Integer> MEMORY_CACHE_SIZE = SCHEMA.bytes("memoryCacheSize", 16 * 1024 * 1024, 0,
    Integer.MAX_VALUE, "small files kept in memory per event loop");

  private final Settings settings;

  /** The defaults. */
  public StaticFilesOptions() {
    this(SCHEMA.defaults());
  }

  /** Options of a JSON object, strictly (the conf file's {@code staticFiles}). */
  public StaticFilesOptions(JsonObject json) {
    this(SCHEMA.bind(json, LoggerFactory.getLogger(StaticFilesOptions.class)::warn));
  }

  public StaticFilesOptions(Settings settings) {
    this.settings = settings;
  }

  public JsonObject toJson() {
    return settings.toJson();
  }

  List<CacheRule> cacheControl() {
    return settings.get(CACHE_CONTROL);
  }

  public String defaultCacheControl() {
    return settings.get(DEFAULT_CACHE_CONTROL);
  }

  public boolean compress() {
    return settings.get(COMPRESS);
  }

  public int compressMinSize() {
    return settings.get(COMPRESS_MIN_SIZE);
  }

  public int compressMaxSize() {
    return settings.get(COMPRESS_MAX_SIZE);
  }

  public int compressionLevel() {
    return settings.get(COMPRESSION_LEVEL);
  }

  public int compressedCacheSize() {
    return settings.get(COMPRESSED_CACHE_SIZE);
  }

  public int fileCacheMs() {
    return settings.get(FILE_CACHE);
  }

  public int memoryCacheMaxFileSize() {
    return settings.get(MEMORY_CACHE_MAX_FILE_SIZE);
  }

  public int memoryCacheSize() {
    return settings.get(MEMORY_CACHE_SIZE);
  }
}
