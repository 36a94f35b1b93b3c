package com.foobar.platform.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.Marker;

/**
 * Puts the current request's id ({@link RequestContext}) into the MDC as {@code requestId} at each logging
 * call, on the calling thread: event loops interleave many requests, so a thread-local MDC set once per
 * request would name the wrong one. Text lines show it as {@code rid=...}; JSON lines as a field.
 */
public final class RequestIdFilter extends TurboFilter {

  public static final String KEY = "requestId";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    String id = RequestContext.current();
    MDCAdapter mdc = logger.getLoggerContext().getMDCAdapter();
    if (id == null) {
      mdc.remove(KEY);
    } else {
      mdc.put(KEY, id);
    }
    return FilterReply.NEUTRAL;
  }
}
