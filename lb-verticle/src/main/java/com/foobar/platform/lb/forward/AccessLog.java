package com.foobar.platform.lb.forward;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line per request on the logger {@code com.foobar.platform.lb.access}: the NCSA combined format followed by
 * request id, backend, retries, total time and how the request ended ({@code term=CD reason=client_aborted_while_relaying},
 * see {@link Termination}) ({@code combined}), or the same fields as one JSON object ({@code json}).
 */
final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("com.foobar.platform.lb.access");
  private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

  private final String format;

  AccessLog(String format) {
    this.format = format;
  }

  boolean enabled() {
    return !"off".equals(format) && LOG.isInfoEnabled();
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
    double millis = (System.nanoTime() - forward.startNanos()) / 1e6;
    double backendMillis = forward.backendNanos() < 0 ? -1 : forward.backendNanos() / 1e6;
    String reason = forward.detail() != null ? forward.detail() : termination.reason();
    if ("json".equals(format)) {
      LOG.info(new JsonObject().put("time", ZonedDateTime.now().toString()).put("client", client)
        .put("method", request.method().name()).put("uri", request.uri()).put("version", version(request))
        .put("status", status).put("bytes", response.bytesWritten()).put("referer", request.getHeader("Referer"))
        .put("userAgent", request.getHeader("User-Agent")).put("requestId", forward.requestId())
        .put("backend", backend).put("retries", forward.retries()).put("backendMs", backendMillis)
        .put("totalMs", millis).put("term", termination.code()).put("termSide", termination.side())
        .put("termReason", reason).encode());
      return;
    }
    LOG.info("{} - - [{}] \"{} {} {}\" {} {} \"{}\" \"{}\" rid={} backend={} retries={} backend_ms={} total_ms={} "
      + "term={} reason={}",
      client, CLF.format(ZonedDateTime.now()), request.method().name(), request.uri(), version(request),
      status == 0 ? "-" : status, response.bytesWritten(), dash(request.getHeader("Referer")),
      dash(request.getHeader("User-Agent")), forward.requestId(), backend, forward.retries(),
      String.format(Locale.ROOT, "%.1f", backendMillis), String.format(Locale.ROOT, "%.1f", millis), termination.code(), reason);
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
