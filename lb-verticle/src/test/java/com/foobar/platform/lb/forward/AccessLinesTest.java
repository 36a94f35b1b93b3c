package com.foobar.platform.lb.forward;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The access log's batching: every line once, in order, and none left waiting on a quiet balancer. */
class AccessLinesTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger("com.foobar.platform.lb.access");
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @BeforeEach
  void capture() {
    AccessLines.shared().flush();
    events.start();
    logger.addAppender(events);
  }

  @AfterEach
  void release() {
    logger.detachAppender(events);
  }

  private List<String> written() {
    synchronized (events) {
      return events.list.stream().flatMap(event -> Arrays.stream(event.getFormattedMessage().split("\n"))).toList();
    }
  }

  @Test
  void aFewLinesReachTheLogWithinTheFlushInterval() {
    AccessLines.shared().add("first");
    AccessLines.shared().add("second");
    await().atMost(Duration.ofMillis(AccessLines.FLUSH_MS * 5)).until(() -> !events.list.isEmpty());
    assertThat(written()).containsExactly("first", "second");
  }

  @Test
  void aFullBatchLeavesAtOnceWithEveryLineInOrder() {
    List<String> lines = IntStream.range(0, 2000).mapToObj(i -> "line " + i + " " + "x".repeat(40)).toList();
    lines.forEach(AccessLines.shared()::add);
    assertThat(events.list).isNotEmpty(); // past BATCH_CHARS without waiting for the flusher
    AccessLines.shared().flush();
    assertThat(written()).containsExactlyElementsOf(lines);
  }

  @Test
  void tenthsWriteWhatPercentPointOneFWrites() {
    for (double value : new double[] {0, 0.04, 0.05, 1.25, 12.345, 999.95, -1, 3.0}) {
      assertThat(AccessLog.tenths(new StringBuilder(), value).toString())
        .isEqualTo(String.format(Locale.ROOT, "%.1f", value));
    }
  }
}
