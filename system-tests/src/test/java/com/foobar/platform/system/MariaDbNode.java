package com.foobar.platform.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * One MariaDB server on a {@link TestNetwork} host, as an operator runs one from Debian's binaries with a
 * shipped option file: {@code mariadb-install-db} into a data directory of its own, then {@code mariadbd
 * --defaults-file=<the shipped .cnf>} with only the paths (data, socket, pid, log) given on the command line.
 * SQL goes in as root over its unix socket (a file, so it is reachable from outside the host's namespace).
 */
final class MariaDbNode {

  private final Path socket;

  private MariaDbNode(Path socket) {
    this.socket = socket;
  }

  /** Initialises {@code dir} and starts the server in {@code ns}; returns once it answers. */
  static MariaDbNode start(TestNetwork network, String ns, Path optionFile, Path dir) throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Processes.Result installed = Processes.run(List.of(binary("mariadb-install-db"), "--no-defaults", "--user=root",
      "--datadir=" + data, "--tmpdir=" + tmp, "--auth-root-authentication-method=normal", "--skip-test-db"), null, 120);
    if (installed.exitCode() != 0) {
      throw new IllegalStateException("mariadb-install-db failed: " + installed.output());
    }
    Path socket = dir.resolve("mariadbd.sock");
    // --defaults-file must come first; the command-line paths take precedence over the file.
    network.start(ns, dir.resolve("mariadbd.log"), Map.of(), List.of(binary("mariadbd"),
      "--defaults-file=" + optionFile, "--user=root", "--datadir=" + data, "--tmpdir=" + tmp,
      "--socket=" + socket, "--pid-file=" + dir.resolve("mariadbd.pid"), "--log-error=" + dir.resolve("error.log")));
    MariaDbNode node = new MariaDbNode(socket);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
      .until(() -> node.client(List.of("-e", "SELECT 1"), null).exitCode() == 0);
    return node;
  }

  /** Runs statements as root; fails with the client's output when one fails. */
  void sql(String statements) {
    Processes.Result result = client(List.of(), statements);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("SQL failed: " + result.output());
    }
  }

  /** The first column of the first row, as text ("" on an error). */
  String query(String select) {
    Processes.Result result = client(List.of("-N", "-B", "-e", select), null);
    return result.exitCode() == 0 ? result.output().trim() : "";
  }

  private Processes.Result client(List<String> args, String stdin) {
    List<String> command = new ArrayList<>(List.of(binary("mariadb"), "--no-defaults", "--socket=" + socket,
      "-u", "root"));
    command.addAll(args);
    return Processes.run(command, stdin, 60);
  }

  /** A MariaDB binary from Debian's locations (sbin is not on every PATH). */
  static String binary(String name) {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return name;
  }
}
