package com.foobar.platform.testing;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB primary and replica with GTID replication, started from the installed binaries on free
 * loopback ports through the project's own {@code scripts/mariadb-pair} (the script {@code ./foobar up}
 * uses), once per test JVM, and stopped and deleted when the JVM exits.
 */
public final class MariaDbPair {

  private static MariaDbPair shared;

  private final Path script;
  private final Path stateDir;
  private final int primaryPort;
  private final int replicaPort;

  private MariaDbPair(Path script, Path stateDir, int primaryPort, int replicaPort) {
    this.script = script;
    this.stateDir = stateDir;
    this.primaryPort = primaryPort;
    this.replicaPort = replicaPort;
  }

  /** The pair of this test JVM, started on first use. */
  public static synchronized MariaDbPair shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::destroy, "mariadb-pair-destroy"));
    }
    return shared;
  }

  /**
   * A pair of its own for a test that breaks replication for good (failover, promotion); destroyed when the
   * JVM exits or by {@link #destroy()}.
   */
  public static MariaDbPair isolated() {
    MariaDbPair pair = start();
    Runtime.getRuntime().addShutdownHook(new Thread(pair::destroy, "mariadb-pair-destroy"));
    return pair;
  }

  private static MariaDbPair start() {
    try {
      Path stateDir = Files.createTempDirectory("foobar-mariadb-");
      MariaDbPair pair = new MariaDbPair(RepoRoot.find().resolve("scripts/mariadb-pair"), stateDir,
        FreePorts.next(), FreePorts.next());
      pair.up();
      return pair;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts whatever node is not running and waits until the replica has caught up. */
  public void up() {
    run("up", stateDir.toString(), Integer.toString(primaryPort), Integer.toString(replicaPort));
  }

  /** Stops both nodes, keeping their data ({@link #up()} starts them again and settles the roles). */
  public void down() {
    run("down", stateDir.toString());
  }

  /** An operator's choice of writer ({@code mariadb-pair promote}). */
  public void promote(String node) {
    run("promote", stateDir.toString(), node);
  }

  /** A backup of the writer with mariadb-backup; returns its directory. */
  public Path backup() {
    return Path.of(run("backup", stateDir.toString()).strip());
  }

  /** Both nodes re-imaged from {@code backup}, roles settled. */
  public void restore(Path backup) {
    run("restore", stateDir.toString(), backup.toString());
  }

  /** One node re-imaged from the writer. */
  public void rebuild(String node) {
    run("rebuild", stateDir.toString(), node);
  }

  /** {@code mariadb-pair status}: each node with its role, then the follower's replication threads. */
  public String status() {
    return runAllowingFailure("status", stateDir.toString());
  }

  /** Stops one node (primary or replica) by its pid file, keeping its data. */
  public void stop(String node) {
    run("stop", stateDir.toString(), node);
  }

  /** Starts one stopped node, read-only (as every node starts). */
  public void start(String node) {
    run("start", stateDir.toString(), node);
  }

  /** SIGKILLs one node: a crash. */
  public void kill(String node) {
    run("kill", stateDir.toString(), node);
  }

  public int primaryPort() {
    return primaryPort;
  }

  public int replicaPort() {
    return replicaPort;
  }

  public Path stateDir() {
    return stateDir;
  }

  public Path secret(String name) {
    return stateDir.resolve("secrets").resolve(name + ".password");
  }

  public String password(String name) {
    try {
      return Files.readString(secret(name)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs SQL as root on a node ({@code primary} or {@code replica}); returns tab-separated rows, no header. */
  public String sql(String node, String sql) {
    return run("sql", stateDir.toString(), node, sql, "-N", "-B");
  }

  /** Stops both nodes and deletes their data. */
  public void destroy() {
    try {
      run("destroy", stateDir.toString());
      // What else landed in the state directory (backups, the launcher's run/ when a test ran ./foobar on it).
      try (var paths = Files.walk(stateDir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    } catch (RuntimeException | IOException e) {
      LoggerFactory.getLogger(MariaDbPair.class).warn("mariadb-pair destroy failed: {}", e.getMessage());
    }
  }

  /** {@code SHOW SLAVE STATUS} of a node as field name to value; empty when it replicates from nobody. */
  public Map<String, String> slaveStatus(String node) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : run("sql", stateDir.toString(), node, "SHOW SLAVE STATUS\\G").split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("*")) {
        fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    return fields;
  }

  /** True when both replication threads of the node run. */
  public boolean replicating(String node) {
    Map<String, String> status = slaveStatus(node);
    return "Yes".equals(status.get("Slave_IO_Running")) && "Yes".equals(status.get("Slave_SQL_Running"));
  }

  private String run(String... args) {
    return execute(true, args);
  }

  private String runAllowingFailure(String... args) {
    return execute(false, args);
  }

  private String execute(boolean mustSucceed, String... args) {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile("mariadb-pair-", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false)
        .redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      // The script settles roles with RolesTool on this JVM's Java.
      builder.environment().putIfAbsent("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out");
      }
      String err = Files.readString(log);
      Files.deleteIfExists(log);
      if (mustSucceed && process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + err);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
