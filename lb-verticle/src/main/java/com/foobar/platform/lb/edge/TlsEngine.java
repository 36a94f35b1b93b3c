package com.foobar.platform.lb.edge;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Which TLS implementation the HTTPS listener runs ({@code tls.engine}). BoringSSL through netty-tcnative does the
 * handshake's ECDHE and ECDSA and the record layer's AES-GCM in native code, as HAProxy's OpenSSL does; the JDK's
 * engine measured 4-5x fewer new connections per second here (docs/BENCHMARKS.md). {@code auto} falls back to the
 * JDK's engine, with a warning that says why, where the native library cannot load (an OS or CPU its jar does not
 * carry); {@code openssl} refuses to start there instead ({@link #problem}).
 */
public final class TlsEngine {

  private static final Logger LOG = LoggerFactory.getLogger(TlsEngine.class);

  private TlsEngine() {
  }

  /** Whether the configured engine resolves to BoringSSL on this machine. */
  public static boolean usesBoringSsl(String engine) {
    return !"jdk".equals(engine) && OpenSsl.isAvailable();
  }

  /**
   * The Vert.x engine options for {@code engine}: BoringSSL with reference-counted engines and its server-side
   * session cache (a returning client's TLS 1.2 session ID skips the full handshake), or the JDK's.
   */
  static SSLEngineOptions options(String engine) {
    if (usesBoringSsl(engine)) {
      return new RefCountedOpenSsl();
    }
    return new JdkSSLEngineOptions();
  }

  /** Logs the engine the listener uses, once per listener start; the benchmarks quote this line. */
  static void log(String engine, int port) {
    if (usesBoringSsl(engine)) {
      LOG.info("TLS engine on port {}: openssl ({})", port, OpenSsl.versionString());
    } else if ("jdk".equals(engine)) {
      LOG.info("TLS engine on port {}: jdk (tls.engine: jdk)", port);
    } else {
      LOG.warn("TLS engine on port {}: jdk, as BoringSSL cannot load here ({}); set tls.engine to jdk to say so",
        port, String.valueOf(OpenSsl.unavailabilityCause()));
    }
  }

  /** The start-time problem of {@code tls.engine: openssl} where BoringSSL cannot load. */
  static Optional<String> problem(String engine) {
    if (!"openssl".equals(engine) || OpenSsl.isAvailable()) {
      return Optional.empty();
    }
    return Optional.of("tls.engine: openssl, but BoringSSL cannot load here: " + OpenSsl.unavailabilityCause()
      + " (use auto or jdk)");
  }
}
