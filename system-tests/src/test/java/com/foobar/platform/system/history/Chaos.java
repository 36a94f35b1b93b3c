package com.foobar.platform.system.history;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** The faults of a history run, each waited out until the site writes again. */
final class Chaos {

  private final HistoryStack stack;
  private final HistoryClients clients;

  Chaos(HistoryStack stack, HistoryClients clients) {
    this.stack = stack;
    this.clients = clients;
  }

  /** Lets the clients acknowledge at least {@code writes} more writes. */
  void writesGoOn(int writes) {
    long from = clients.acknowledgedSoFar();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
      .until(() -> clients.acknowledgedSoFar() >= from + writes);
  }

  /** SIGKILLs the writer's mariadbd; returns once another node was promoted and writes were acknowledged again. */
  String killWriter() {
    String killed = stack.writerNode();
    String before = stack.manager().writerName();
    stack.pair.kill(killed);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
      .until(() -> !stack.manager().writerName().equals(before));
    writesGoOn(10);
    return killed;
  }

  /** Starts a killed node again (read-only) and waits until it follows and acknowledges the writer's commits. */
  void restart(String node) {
    stack.pair.start(node);
    stack.awaitHealthy();
    writesGoOn(10);
  }

  /** SIGKILLs the follower; writes go on (asynchronously until it is back). */
  String killFollower() {
    String killed = stack.followerNode();
    stack.pair.kill(killed);
    writesGoOn(20);
    return killed;
  }

  /** Everything down (tiers, then both databases) and up again, as {@code ./foobar down} and {@code up} do. */
  void fullStopAndStart() {
    stack.stopTiers();
    stack.pair.down();
    stack.pair.up();
    stack.startTiers();
    stack.awaitHealthy();
    writesGoOn(10);
  }
}
