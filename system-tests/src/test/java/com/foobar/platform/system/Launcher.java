package com.foobar.platform.system;

import com.foobar.platform.testing.MariaDbPair;
import com.foobar.platform.testing.RepoRoot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code ./foobar COMMAND} the way an operator does, on a test's MariaDB pair (its state directory and ports). */
final class Launcher {

  private Launcher() {
  }

  static Processes.Result run(MariaDbPair pair, String... args) {
    return run(pair, Map.of(), args);
  }

  /** With {@code env} on top: the stack's other ports, say ({@code FOOBAR_LB_PORT=...}). */
  static Processes.Result run(MariaDbPair pair, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("env", "FOOBAR_STATE=" + pair.stateDir(),
      "FOOBAR_PRIMARY_PORT=" + pair.primaryPort(), "FOOBAR_REPLICA_PORT=" + pair.replicaPort(),
      "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java")));
    env.forEach((key, value) -> command.add(key + "=" + value));
    command.add(RepoRoot.find().resolve("foobar").toString());
    command.addAll(List.of(args));
    return Processes.run(command, null, 300);
  }
}
