package com.foobar.platform.common.launch;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code -conf} value a tier's process was started with (noted by its jar's main class): a file, or inline
 * JSON as Vert.x's launcher also accepts. Vert.x's launcher reads that file once and hands the verticle only the
 * JSON; a configuration reload (the balancer's) reads the same file again. Absent when the verticle runs embedded
 * (tests), where a reload re-reads the deployment's own config.
 */
public final class LaunchConfig {

  private static volatile String conf;
  private static volatile boolean launched;

  private LaunchConfig() {
  }

  public static void capture(String[] args) {
    launched = true;
    conf = confArgument(args);
  }

  /** The value of {@code -conf} (or {@code --conf}, {@code -conf=...}) in a command line, or null. */
  static String confArgument(String[] args) {
    String value = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("-conf") || arg.equals("--conf")) && i + 1 < args.length) {
        value = args[i + 1];
      } else if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      }
    }
    return value;
  }

  /** Whether this JVM was started by a tier's main class (then it owns the process's signals). */
  public static boolean launched() {
    return launched;
  }

  /** What a reload reads: the file as it is now (or the inline JSON), else {@code fallback}. */
  public static JsonObject read(JsonObject fallback) {
    String value = conf;
    if (value == null) {
      return fallback == null ? new JsonObject() : fallback.copy();
    }
    return parse(value);
  }

  /** A {@code -conf} value as Vert.x's launcher takes it: a file's JSON, or JSON given inline. */
  static JsonObject parse(String value) {
    Path file = Path.of(value);
    String text;
    if (Files.isRegularFile(file)) {
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + value + ": " + e.getMessage(), e);
      }
    } else if (value.trim().startsWith("{")) {
      text = value;
    } else {
      throw new IllegalArgumentException("the -conf file " + value + " does not exist");
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(value + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The file a reload reads, for messages. */
  public static String describe() {
    String value = conf;
    return value == null ? "the deployment's config" : value.trim().startsWith("{") ? "the inline -conf JSON" : value;
  }
}
