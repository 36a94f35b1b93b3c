package com.foobar.platform.lb.forward;

import com.foobar.platform.common.logging.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The access log's lines, batched the way nginx's {@code access_log ... buffer= flush=} does: an event loop only
 * appends its line to a buffer; the buffer goes to the logger (its asynchronous file appender) as one event of
 * many lines once it holds {@value #BATCH_CHARS} characters, and at the latest every {@value #FLUSH_MS} ms and at
 * exit. One logging event per request woke the appender's writer thread once per request (a thread switch and a
 * write per line): that cost the balancer about half of its CPU per request. Shared by every event loop of the
 * process; batches leave in the order their lines arrived.
 */
final class AccessLines {

  static final int BATCH_CHARS = 32 * 1024;
  static final long FLUSH_MS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(LogSetup.ACCESS_LOGGER);
  private static final AccessLines SHARED = new AccessLines();

  private final StringBuilder pending = new StringBuilder(BATCH_CHARS + 1024);

  private AccessLines() {
    ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "access-log-flush");
      thread.setDaemon(true);
      return thread;
    });
    flusher.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(this::flush, "access-log-last-flush"));
  }

  static AccessLines shared() {
    return SHARED;
  }

  static boolean enabled() {
    return LOG.isInfoEnabled();
  }

  /** Adds one line (without its line end). The logger's appender never blocks, so holding the lock is short. */
  synchronized void add(CharSequence line) {
    if (!pending.isEmpty()) {
      pending.append('\n');
    }
    pending.append(line);
    if (pending.length() >= BATCH_CHARS) {
      flush();
    }
  }

  /** Hands what is buffered to the logger now. */
  synchronized void flush() {
    if (!pending.isEmpty()) {
      LOG.info(pending.toString());
      pending.setLength(0);
    }
  }
}
