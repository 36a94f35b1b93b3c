package com.foobar.platform.app.web;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How the app tier serves static files (the {@code staticFiles} object of {@code conf/app-N.json}): Cache-Control
 * rules per path pattern, on-the-fly gzip limits and how long file metadata is cached.
 */
public class StaticFilesOptions {

  /** Fingerprinted assets ({@code app.3f9a0c1d.js}) never change under their name: cache them for a year. */
  public static final String FINGERPRINTED_PATTERN =
    ".*[.-][0-9a-fA-F]{8,}\\.(js|mjs|css|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|otf|wasm|map)$";
  public static final String IMMUTABLE = "public, max-age=31536000, immutable";
  /** Pages are revalidated on every use (a cheap 304 with the ETag) so a deploy shows at once. */
  public static final String HTML_PATTERN = ".*(/|\\.html?)$";
  public static final String NO_CACHE = "no-cache";
  public static final String DEFAULT_CACHE_CONTROL = "public, max-age=300";
  public static final boolean DEFAULT_COMPRESS = true;
  /** Below this size gzip saves too little to pay for itself (nginx's advice is about one packet). */
  public static final int DEFAULT_COMPRESS_MIN_SIZE = 1024;
  /** Larger files are sent as they are unless a precompressed {@code .gz} sibling exists. */
  public static final int DEFAULT_COMPRESS_MAX_SIZE = 4 * 1024 * 1024;
  public static final int DEFAULT_COMPRESSION_LEVEL = 6;
  public static final int DEFAULT_COMPRESSED_CACHE_SIZE = 16 * 1024 * 1024;
  public static final int DEFAULT_FILE_CACHE_MILLIS = 1000;
  /** Files up to this size are answered from memory; larger ones with zero-copy sendfile. */
  public static final int DEFAULT_MEMORY_CACHE_MAX_FILE_SIZE = 16 * 1024;
  public static final int DEFAULT_MEMORY_CACHE_SIZE = 16 * 1024 * 1024;

  private static final Set<String> KEYS = Set.of("cacheControl", "defaultCacheControl", "compress",
    "compressMinSize", "compressMaxSize", "compressionLevel", "compressedCacheSize", "fileCacheMillis",
    "memoryCacheMaxFileSize", "memoryCacheSize");

  /** One Cache-Control rule: the first rule whose regular expression matches the whole request path wins. */
  public record CacheRule(String pattern, String value) {

    public CacheRule {
      try {
        Pattern.compile(Options.requireText("cacheControl.pattern", pattern));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("cacheControl.pattern " + pattern + " is not a regular expression: "
          + e.getDescription());
      }
      Options.requireText("cacheControl.value", value);
    }

    JsonObject toJson() {
      return new JsonObject().put("pattern", pattern).put("value", value);
    }
  }

  private List<CacheRule> cacheControl = defaultRules();
  private String defaultCacheControl = DEFAULT_CACHE_CONTROL;
  private boolean compress = DEFAULT_COMPRESS;
  private int compressMinSize = DEFAULT_COMPRESS_MIN_SIZE;
  private int compressMaxSize = DEFAULT_COMPRESS_MAX_SIZE;
  private int compressionLevel = DEFAULT_COMPRESSION_LEVEL;
  private int compressedCacheSize = DEFAULT_COMPRESSED_CACHE_SIZE;
  private int fileCacheMillis = DEFAULT_FILE_CACHE_MILLIS;
  private int memoryCacheMaxFileSize = DEFAULT_MEMORY_CACHE_MAX_FILE_SIZE;
  private int memoryCacheSize = DEFAULT_MEMORY_CACHE_SIZE;

  public StaticFilesOptions() {
  }

  public StaticFilesOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "staticFiles options");
    if (json.containsKey("cacheControl")) {
      List<CacheRule> rules = new ArrayList<>();
      for (Object item : json.getJsonArray("cacheControl")) {
        if (!(item instanceof JsonObject rule)) {
          throw new IllegalArgumentException("staticFiles.cacheControl entries are {\"pattern\",\"value\"} objects");
        }
        Options.requireKnownKeys(rule, Set.of("pattern", "value"), "staticFiles.cacheControl rule");
        rules.add(new CacheRule(rule.getString("pattern"), rule.getString("value")));
      }
      setCacheControl(rules);
    }
    setDefaultCacheControl(json.getString("defaultCacheControl", defaultCacheControl));
    setCompress(json.getBoolean("compress", compress));
    setCompressMinSize(json.getInteger("compressMinSize", compressMinSize));
    setCompressMaxSize(json.getInteger("compressMaxSize", compressMaxSize));
    setCompressionLevel(json.getInteger("compressionLevel", compressionLevel));
    setCompressedCacheSize(json.getInteger("compressedCacheSize", compressedCacheSize));
    setFileCacheMillis(json.getInteger("fileCacheMillis", fileCacheMillis));
    setMemoryCacheMaxFileSize(json.getInteger("memoryCacheMaxFileSize", memoryCacheMaxFileSize));
    setMemoryCacheSize(json.getInteger("memoryCacheSize", memoryCacheSize));
  }

  public JsonObject toJson() {
    JsonArray rules = new JsonArray();
    cacheControl.forEach(rule -> rules.add(rule.toJson()));
    return new JsonObject().put("cacheControl", rules).put("defaultCacheControl", defaultCacheControl)
      .put("compress", compress).put("compressMinSize", compressMinSize).put("compressMaxSize", compressMaxSize)
      .put("compressionLevel", compressionLevel).put("compressedCacheSize", compressedCacheSize)
      .put("fileCacheMillis", fileCacheMillis).put("memoryCacheMaxFileSize", memoryCacheMaxFileSize)
      .put("memoryCacheSize", memoryCacheSize);
  }

  private static List<CacheRule> defaultRules() {
    return List.of(new CacheRule(FINGERPRINTED_PATTERN, IMMUTABLE), new CacheRule(HTML_PATTERN, NO_CACHE));
  }

  public List<CacheRule> getCacheControl() {
    return cacheControl;
  }

  /** Rules tried in order against the request path; the first match gives the Cache-Control header. */
  public StaticFilesOptions setCacheControl(List<CacheRule> cacheControl) {
    this.cacheControl = List.copyOf(cacheControl);
    return this;
  }

  public String getDefaultCacheControl() {
    return defaultCacheControl;
  }

  /** Cache-Control of files no rule matches. */
  public StaticFilesOptions setDefaultCacheControl(String defaultCacheControl) {
    this.defaultCacheControl = Options.requireText("defaultCacheControl", defaultCacheControl);
    return this;
  }

  public boolean isCompress() {
    return compress;
  }

  /** Whether text files are gzipped on the fly for clients that accept it (precompressed files are always used). */
  public StaticFilesOptions setCompress(boolean compress) {
    this.compress = compress;
    return this;
  }

  public int getCompressMinSize() {
    return compressMinSize;
  }

  public StaticFilesOptions setCompressMinSize(int compressMinSize) {
    this.compressMinSize = Options.requireRange("compressMinSize", compressMinSize, 0, Integer.MAX_VALUE);
    return this;
  }

  public int getCompressMaxSize() {
    return compressMaxSize;
  }

  public StaticFilesOptions setCompressMaxSize(int compressMaxSize) {
    this.compressMaxSize = Options.requireRange("compressMaxSize", compressMaxSize, 0, 256 * 1024 * 1024);
    return this;
  }

  public int getCompressionLevel() {
    return compressionLevel;
  }

  public StaticFilesOptions setCompressionLevel(int compressionLevel) {
    this.compressionLevel = Options.requireRange("compressionLevel", compressionLevel, 1, 9);
    return this;
  }

  public int getCompressedCacheSize() {
    return compressedCacheSize;
  }

  /** Bytes of gzipped files kept in memory per event loop, so a file is compressed once, not per request. */
  public StaticFilesOptions setCompressedCacheSize(int compressedCacheSize) {
    this.compressedCacheSize = Options.requireRange("compressedCacheSize", compressedCacheSize, 0, Integer.MAX_VALUE);
    return this;
  }

  public int getFileCacheMillis() {
    return fileCacheMillis;
  }

  /** How long a file's size and modification time are reused before the file system is asked again (0: never). */
  public StaticFilesOptions setFileCacheMillis(int fileCacheMillis) {
    this.fileCacheMillis = Options.requireRange("fileCacheMillis", fileCacheMillis, 0, 3_600_000);
    return this;
  }

  public int getMemoryCacheMaxFileSize() {
    return memoryCacheMaxFileSize;
  }

  /** Files up to this size are answered from memory (0: every file goes out with sendfile). */
  public StaticFilesOptions setMemoryCacheMaxFileSize(int memoryCacheMaxFileSize) {
    this.memoryCacheMaxFileSize = Options.requireRange("memoryCacheMaxFileSize", memoryCacheMaxFileSize, 0,
      64 * 1024 * 1024);
    return this;
  }

  public int getMemoryCacheSize() {
    return memoryCacheSize;
  }

  /** Bytes of small files kept in memory per event loop. */
  public StaticFilesOptions setMemoryCacheSize(int memoryCacheSize) {
    this.memoryCacheSize = Options.requireRange("memoryCacheSize", memoryCacheSize, 0, Integer.MAX_VALUE);
    return this;
  }
}
