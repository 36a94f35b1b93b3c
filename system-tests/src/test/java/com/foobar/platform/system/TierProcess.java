package com.foobar.platform.system;

import com.foobar.platform.testing.RepoRoot;
import com.foobar.platform.testing.TempDirs;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One tier running as operators run it: its shaded jar under Vert.x's launcher in a JVM of its own
 * ({@code java -jar <tier>.jar -conf <file> [-cluster ...]}), output in a log file. {@link #kill()} is SIGKILL
 * (what {@link Process#destroyForcibly()} sends on Linux): no shutdown hook runs, nothing is withdrawn.
 */
final class TierProcess implements AutoCloseable {

  final String name;
  final Path log;
  /** The {@code -conf} file: a test may rewrite it and ask for a reload. */
  final Path conf;
  private final Process process;
  private final Path dir;

  private TierProcess(String name, Path dir, Path conf, Process process) {
    this.name = name;
    this.dir = dir;
    this.log = dir.resolve(name + ".log");
    this.conf = conf;
    this.process = process;
  }

  /** The tier's jar, built by {@code mvn package} (the reactor packages it before system-tests run). */
  static Path jar(String module) {
    Path jar = RepoRoot.find().resolve(module).resolve("target").resolve(module + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: mvn -B -pl " + module + " -am package -DskipTests");
    }
    return jar;
  }

  /** Starts {@code java <jvmArgs> -jar <module jar> -conf <config> <launcherArgs>}, FOOBAR_* env removed. */
  static TierProcess start(String name, String module, JsonObject config, List<String> jvmArgs,
                           List<String> launcherArgs) {
    return start(name, module, config, jvmArgs, launcherArgs, Map.of());
  }

  /** As above, with {@code env} added to the environment ({@code FOOBAR_LOG_FORMAT}, say). */
  static TierProcess start(String name, String module, JsonObject config, List<String> jvmArgs,
                           List<String> launcherArgs, Map<String, String> env) {
    Path dir = TempDirs.create("foobar-" + name + "-");
    try {
      Path conf = Files.writeString(dir.resolve(name + ".json"), config.encodePrettily());
      Path log = dir.resolve(name + ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // Small heaps and C1 only: four JVMs share two cores in these tests.
      command.addAll(List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        // Vert.x's file cache in the process's own directory: a killed process cannot remove its /tmp/vertx-cache-*.
        "-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache")));
      command.addAll(jvmArgs);
      command.addAll(List.of("-jar", jar(module).toString(), "-conf", conf.toString()));
      command.addAll(launcherArgs);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(key -> key.startsWith("FOOBAR_"));
      builder.environment().putAll(env);
      return new TierProcess(name, dir, conf, builder.start());
    } catch (IOException e) {
      TempDirs.delete(dir);
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM (a graceful stop: Vert.x undeploys its verticles), and wait until the process is gone. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError(name + " did not stop within 60 s after SIGTERM\n" + tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends a signal by name (HUP, ...) with kill(1). */
  void signal(String signal) {
    Processes.Result result = Processes.run(List.of("kill", "-" + signal, Long.toString(pid())), null, 10);
    if (result.exitCode() != 0) {
      throw new AssertionError("kill -" + signal + " " + pid() + ": " + result.output());
    }
  }

  /** The whole log so far. */
  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGKILL, and wait until the process is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The log's last lines, for assertion messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return name + " log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return name + " log unreadable: " + e.getMessage();
    }
  }

  /** The process's own directory (its conf and log), for files it writes beside them. */
  Path dir() {
    return dir;
  }

  /** Kills the process if it still runs and deletes its directory (conf, log). */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
    TempDirs.delete(dir);
  }
}
