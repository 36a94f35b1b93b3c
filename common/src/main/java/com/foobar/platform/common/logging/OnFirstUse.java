package com.foobar.platform.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import java.util.function.Supplier;

/**
 * An appender made at its first event: every tier configures the access log, only the balancer writes one, and
 * the others should not leave an empty file behind (logback 1.5's file appenders open their file at start).
 */
final class OnFirstUse extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private final Supplier<Appender<ILoggingEvent>> factory;
  private volatile Appender<ILoggingEvent> target;

  OnFirstUse(String name, Supplier<Appender<ILoggingEvent>> factory) {
    this.factory = factory;
    setName(name);
  }

  @Override
  protected void append(ILoggingEvent event) {
    Appender<ILoggingEvent> appender = target;
    if (appender == null) {
      synchronized (this) {
        if (target == null) {
          target = factory.get();
        }
        appender = target;
      }
    }
    appender.doAppend(event);
  }

  @Override
  public void stop() {
    super.stop();
    if (target != null) {
      target.stop();
    }
  }
}
