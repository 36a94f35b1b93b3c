package com.foobar.platform.system.history;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A history test on real MariaDB through the real balancer and application servers: 8 writers (4 sending each
 * post once, 4 sending an {@code Idempotency-Key} and retrying with it until answered) and 2 readers
 * carrying their consistency token, while the writer's mariadbd is SIGKILLed three times (the first two killed
 * nodes restarted and rejoining before the next kill), the follower's once in between, and the whole stack is
 * stopped and started right after the third failover (the killed node comes back only with that start). Then the final table must hold every acknowledged write exactly once and
 * nothing no client attempted, and no reader may have seen a state older than one it had seen.
 * The numbers go to {@code target/history/report.txt} (and docs/RELIABILITY.md).
 */
class DatabaseHistoryTest {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseHistoryTest.class);

  private HistoryStack stack;
  private HistoryClients clients;

  @AfterEach
  void stop() throws InterruptedException {
    if (clients != null) {
      clients.stop();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void noAcknowledgedWriteIsLostOrDoubledAcrossCrashesFailoversAndAFullRestart() throws Exception {
    long started = System.nanoTime();
    stack = new HistoryStack();
    clients = new HistoryClients(stack::baseUrl);
    clients.startWriters(4, HistoryClients.Kind.PLAIN);
    clients.startWriters(4, HistoryClients.Kind.KEYED);
    clients.startReaders(2);
    Chaos chaos = new Chaos(stack, clients);
    List<String> steps = new ArrayList<>();
    chaos.writesGoOn(50);

    for (int kill = 1; kill <= 2; kill++) {
      String killed = chaos.killWriter();
      steps.add("kill -9 of the writer " + killed + ": " + stack.writerNode() + " promoted");
      chaos.restart(killed);
      steps.add(killed + " restarted, rejoined as a follower");
    }
    String follower = chaos.killFollower();
    steps.add("kill -9 of the follower " + follower);
    chaos.restart(follower);
    steps.add(follower + " restarted, rejoined");
    // The third kill of the writer, and at once the whole stack down and up: the operator scenario, the
    // killed node only coming back with the full start (./foobar down, ./foobar up).
    String killed = chaos.killWriter();
    steps.add("kill -9 of the writer " + killed + ": " + stack.writerNode() + " promoted; at once a full stop and start");
    String promoted = stack.writerNode();
    chaos.fullStopAndStart();
    steps.add("after the restart " + stack.writerNode() + " writes, " + stack.followerNode() + " follows");
    assertThat(stack.writerNode()).as("the promoted node stays the writer").isEqualTo(promoted);
    chaos.writesGoOn(50);
    clients.stop();

    String writer = stack.writerNode();
    String table = stack.pair.sql(writer, "SELECT id, title FROM foobar.posts WHERE author = 'history' ORDER BY id");
    await().atMost(Duration.ofSeconds(30)).until(() -> stack.pair.sql(stack.followerNode(),
      "SELECT id, title FROM foobar.posts WHERE author = 'history' ORDER BY id").equals(table));
    HistoryChecker checker = new HistoryChecker(clients.attempts(), table);
    String report = "history: " + checker.summary() + "; failovers survived " + stack.failovers()
      + "; consistent reads " + clients.reads() + ", stale reads " + clients.violations().size() + "; "
      + (System.nanoTime() - started) / 1_000_000_000 + " s\n  " + String.join("\n  ", steps) + "\n";
    LOG.info(report);
    Path out = Path.of("target", "history");
    Files.createDirectories(out);
    Files.writeString(out.resolve("report.txt"), report);

    assertThat(checker.problems()).as(report).isEmpty();
    assertThat(clients.violations()).as(report).isEmpty();
    assertThat(stack.failovers()).isEqualTo(3);
    assertThat(checker.summary().acknowledged()).isGreaterThan(500);
    assertThat(checker.summary().keyedRetried()).as("some keyed writes met a failover and were retried: " + report)
      .isPositive();
  }
}
