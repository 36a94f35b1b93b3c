package com.foobar.platform.common.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import net.logstash.logback.encoder.LogstashEncoder;


import java.nio.file.Path;

/**
 * Logging for every tier, configured in code from {@link LogSettings} (found by logback through its
 * {@code Configurator} service; {@code -Dlogback.configurationFile=...} still wins for operators with a file of
 * their own): ISO-8601 timestamps with the zone, the request id on every line a request causes
 * ({@link RequestIdFilter}), text or JSON lines, files rotated by size when {@code FOOBAR_LOG_DIR} is set.
 *
 * <p>The balancer's access log ({@value #ACCESS_LOGGER}) has an appender of its own: a file of its own, each
 * line exactly the message (so JSON access lines are real JSON lines), and an asynchronous queue so that the
 * event loop never waits for the disk: under overload lines are dropped rather than requests slowed.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

  public static final String ACCESS_LOGGER = "com.foobar.platform.lb.access";
  static final String TEXT_PATTERN =
    "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}%replace( rid=%X{requestId}){' rid=$', ''} - %msg%n";
  private static final int ACCESS_QUEUE = 8192;

  /** Whether this process logs JSON lines ({@code FOOBAR_LOG_FORMAT=json}): the access log's {@code auto} follows it. */
  public static boolean jsonLines() {
    return LogSettings.from(System::getenv).json();
  }

  @Override
  public ExecutionStatus configure(LoggerContext loggerContext) {
    configure(loggerContext, LogSettings.from(System::getenv));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  void configure(LoggerContext loggerContext, LogSettings settings) {
    loggerContext.reset();
    loggerContext.addTurboFilter(started(new RequestIdFilter(), loggerContext));
    Logger root = loggerContext.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(settings.level(), Level.INFO));
    root.addAppender(appender(loggerContext, settings, settings.name(), mainEncoder(loggerContext, settings)));
    loggerContext.getLogger("com.hazelcast").setLevel(Level.WARN);
    loggerContext.getLogger("io.netty").setLevel(Level.WARN);
    Logger access = loggerContext.getLogger(ACCESS_LOGGER);
    access.setAdditive(false);
    OnFirstUse accessFile = new OnFirstUse("access", () -> appender(loggerContext, settings,
      settings.name() + "-access", pattern(loggerContext, "%msg%n")));
    accessFile.setContext(loggerContext);
    accessFile.start();
    access.addAppender(async(loggerContext, accessFile));
  }

  private static Encoder<ILoggingEvent> mainEncoder(LoggerContext loggerContext, LogSettings settings) {
    if (!settings.json()) {
      return pattern(loggerContext, TEXT_PATTERN);
    }
    LogstashEncoder json = new LogstashEncoder();
    json.setContext(loggerContext);
    json.setCustomFields("{\"tier\":\"" + settings.name().replace("\"", "") + "\"}");
    json.start();
    return json;
  }

  private static Encoder<ILoggingEvent> pattern(LoggerContext loggerContext, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(loggerContext);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }

  private static Appender<ILoggingEvent> appender(LoggerContext loggerContext, LogSettings settings, String name,
                                                  Encoder<ILoggingEvent> encoder) {
    OutputStreamAppender<ILoggingEvent> appender = settings.toFiles()
      ? rollingFile(loggerContext, settings, Path.of(settings.dir(), name + ".log")) : new ConsoleAppender<>();
    appender.setName(name);
    appender.setContext(loggerContext);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  /** {@code name.log}, rolled at the size limit to {@code name.log.1.gz} .. {@code name.log.N.gz}. */
  private static RollingFileAppender<ILoggingEvent> rollingFile(LoggerContext loggerContext, LogSettings settings,
                                                                Path file) {
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(loggerContext);
    appender.setFile(file.toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(loggerContext);
    rolling.setParent(appender);
    rolling.setFileNamePattern(file + ".%i.gz");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(settings.maxFiles());
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(loggerContext);
    trigger.setMaxFileSize(new FileSize((long) settings.maxFileSizeMb() * FileSize.MB_COEFFICIENT));
    // logback looks at the size once a minute by default: a busy access log writes far past the limit in that time.
    trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildBySeconds(1));
    trigger.start();
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    return appender;
  }

  private static Appender<ILoggingEvent> async(LoggerContext loggerContext, Appender<ILoggingEvent> target) {
    AsyncAppender async = new AsyncAppender();
    async.setContext(loggerContext);
    async.setName(target.getName() + "-async");
    async.setQueueSize(ACCESS_QUEUE);
    async.setDiscardingThreshold(0); // every level counts the same: access lines are INFO
    async.setNeverBlock(true);
    async.setIncludeCallerData(false);
    async.addAppender(target);
    async.start();
    return async;
  }

  private static <T extends ch.qos.logback.core.spi.LifeCycle & ch.qos.logback.core.spi.ContextAware> T started(
    T component, LoggerContext loggerContext) {
    component.setContext(loggerContext);
    component.start();
    return component;
  }
}
