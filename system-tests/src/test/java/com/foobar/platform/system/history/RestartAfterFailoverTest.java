package com.foobar.platform.system.history;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's scenario of issue 12: posts written, the primary's mariadbd SIGKILLed, the monitor fails over,
 * more posts, then the whole stack stopped (tiers, then {@code mariadb-pair down}) and started again
 * ({@code mariadb-pair up}, tiers): the site comes back with the promoted node as the writer, the killed node
 * following it, and every acknowledged post present.
 */
class RestartAfterFailoverTest {

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
  void afterAFailoverAFullRestartKeepsThePromotedNodeAsTheWriterWithEveryAcknowledgedWrite() throws Exception {
    stack = new HistoryStack();
    clients = new HistoryClients(stack::baseUrl);
    clients.startWriters(2, HistoryClients.Kind.PLAIN);
    Chaos chaos = new Chaos(stack, clients);
    chaos.writesGoOn(20);
    stack.awaitHealthy();
    assertThat(stack.writerNode()).isEqualTo("primary");

    chaos.killWriter();
    assertThat(stack.writerNode()).isEqualTo("replica");
    chaos.writesGoOn(20);
    chaos.fullStopAndStart();
    assertThat(stack.writerNode()).as("the promoted node writes after the restart").isEqualTo("replica");
    assertThat(stack.pair.sql("replica", "SELECT @@read_only").strip()).isEqualTo("0");
    assertThat(stack.pair.replicating("primary")).as("the old primary follows it").isTrue();
    clients.stop();

    String table = stack.pair.sql("replica", "SELECT id, title FROM foobar.posts WHERE author = 'history'");
    HistoryChecker checker = new HistoryChecker(clients.attempts(), table);
    assertThat(checker.problems()).as(checker.summary().toString()).isEmpty();
    assertThat(checker.summary().acknowledged()).isGreaterThanOrEqualTo(50);
  }
}
