package com.foobar.platform.lb.forward;

import com.foobar.platform.common.logging.LogSetup;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * One line per request on the logger {@code com.foobar.platform.lb.access}: the NCSA combined format followed by
 * request id, backend, retries, total time and how the request ended ({@code term=CD reason=client_aborted_while_relaying},
 * see {@link Termination}) ({@code combined}), or the same fields as one JSON object a line ({@code json}: the
 * logger's appender writes the message alone, {@link LogSetup}, so each line parses as JSON). {@code auto} is
 * {@code json} when the process logs JSON ({@code FOOBAR_LOG_FORMAT=json}), so one switch gives JSON everywhere.
 * Lines are batched ({@link AccessLines}); the event loop builds its line with no formatter (the date is made once
 * a second).
 */
final class AccessLog {

  private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

  /** The CLF date of one second, made once per second: a zoned format costs more than the rest of the line. */
  private record Stamp(long second, String text) {
  }

  private final String format;
  private final AccessLines lines = AccessLines.shared();
  private volatile Stamp stamp = new Stamp(-1, "");

  AccessLog(String format) {
    this.format = resolve(format, LogSetup.jsonLines());
  }

  /** The format an {@code accessLog} option means in a process that logs JSON lines or not. */
  static String resolve(String option, boolean jsonLines) {
    return "auto".equals(option) ? (jsonLines ? "json" : "combined") : option;
  }

  boolean enabled() {
    return !"off".equals(format) && AccessLines.enabled();
  }

  void log(Forward forward, Termination termination) {
    if (!enabled()) {
      return;
    }
    HttpServerRequest request = forward.request();
    HttpServerResponse response = request.response();
    String client = request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress();
    int status = response.ended() ? response.getStatusCode() : 0;
    String backend = forward.backend() == null ? "-" : forward.backend().name();
    double millis = forward.elapsedNanos() / 1e6;
    double backendMillis = forward.backendNanos() < 0 ? -1 : forward.backendNanos() / 1e6;
    String reason = forward.detail() != null ? forward.detail() : termination.reason();
    if ("json".equals(format)) {
      lines.add(json(request, client, status, backend, millis, backendMillis, forward, termination, reason).encode());
      return;
    }
    StringBuilder line = new StringBuilder(256).append(client).append(" - - [").append(clfNow()).append("] \"")
      .append(request.method().name()).append(' ').append(request.uri()).append(' ').append(version(request))
      .append("\" ").append(status == 0 ? "-" : String.valueOf(status)).append(' ').append(response.bytesWritten())
      .append(" \"").append(dash(request.getHeader("Referer"))).append("\" \"")
      .append(dash(request.getHeader("User-Agent"))).append("\" rid=").append(forward.requestId())
      .append(" backend=").append(backend).append(" retries=").append(forward.retries()).append(" backend_ms=");
    tenths(line, backendMillis).append(" total_ms=");
    tenths(line, millis).append(" term=").append(termination.code()).append(" reason=").append(reason);
    lines.add(line);
  }

  private String clfNow() {
    long second = System.currentTimeMillis() / 1000;
    Stamp current = stamp;
    if (current.second() != second) {
      current = new Stamp(second, CLF.format(ZonedDateTime.now()));
      stamp = current;
    }
    return current.text();
  }

  /** {@code value} with one decimal, as {@code %.1f} writes it (half up), without a Formatter. */
  static StringBuilder tenths(StringBuilder out, double value) {
    long tenths = Math.round(Math.abs(value) * 10);
    if (value < 0 && tenths != 0) {
      out.append('-');
    }
    return out.append(tenths / 10).append('.').append(tenths % 10);
  }

  /** The record as JSON; {@code status} 0 and {@code backend_ms} -1 say "no answer" and "no backend reached". */
  private static JsonObject json(HttpServerRequest request, String client, int status, String backend, double millis,
                                 double backendMillis, Forward forward, Termination termination, String reason) {
    return new JsonObject()
      .put("time", OffsetDateTime.now().truncatedTo(ChronoUnit.MILLIS).toString())
      .put("client", client).put("method", request.method().name()).put("path", request.path())
      .put("query", request.query()).put("version", version(request))
      .put("status", status).put("bytes", request.response().bytesWritten())
      .put("duration_ms", round(millis)).put("backend", backend).put("backend_ms", round(backendMillis))
      .put("retries", forward.retries()).put("rid", forward.requestId())
      .put("term", termination.code()).put("term_side", termination.side()).put("term_reason", reason)
      .put("referer", request.getHeader("Referer")).put("user_agent", request.getHeader("User-Agent"));
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }

  private static String version(HttpServerRequest request) {
    if (request.version() == null) {
      return "-";
    }
    switch (request.version()) {
      case HTTP_1_0: return "HTTP/1.0";
      case HTTP_2: return "HTTP/2.0";
      default: return "HTTP/1.1";
    }
  }

  private static String dash(String value) {
    return value == null ? "-" : value.replace("\"", "\\\"");
  }
}
