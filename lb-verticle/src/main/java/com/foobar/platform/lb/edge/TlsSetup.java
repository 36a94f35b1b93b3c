package com.foobar.platform.lb.edge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * TLS of the balancer: the HTTPS server's options (TLS 1.2/1.3, AEAD ciphers with forward secrecy, ALPN for
 * HTTP/2, SNI over several PEM certificates), the reload of certificates when their files change, and the
 * backend client's TLS. The PEM files are read into memory here, so a reload compares and installs contents, and a
 * half-written file (a failed parse) keeps the old certificate serving.
 */
public final class TlsSetup {

  private static final Logger LOG = LoggerFactory.getLogger(TlsSetup.class);
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  /** Mozilla's "intermediate" list: TLS 1.3 suites, then ECDHE with AES-GCM or ChaCha20 for TLS 1.2. */
  static final List<String> CIPHERS = List.of(
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final TlsOptions options;
  private List<Long> stamps;

  public TlsSetup(TlsOptions options) {
    this.options = options;
  }

  /**
   * Makes the self-signed certificate when one is wanted and not there yet, off the event loop: generating its key
   * takes seconds on a busy machine. Then {@link #serverOptions} finds the files in place.
   */
  public static Future<Void> prepare(Vertx vertx, TlsOptions options) {
    if (!options.certificates().isEmpty() || options.selfSignedDir().isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      SelfSigned.in(options.selfSignedDir());
      return null;
    });
  }

  /** The HTTPS server's options: {@code base} (limits, timeouts) plus TLS on the TLS port. */
  public HttpServerOptions serverOptions(HttpServerOptions base) {
    HttpServerOptions https = new HttpServerOptions(base).setPort(options.port()).setSsl(true).setSni(true)
      .setUseAlpn(options.http2()).setEnabledSecureTransportProtocols(PROTOCOLS)
      .setSslEngineOptions(TlsEngine.options(options.engine())).setKeyCertOptions(keyCerts());
    if (options.http2()) {
      https.setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    }
    CIPHERS.forEach(https::addEnabledCipherSuite);
    stamps = stamps();
    return https;
  }

  private PemKeyCertOptions keyCerts() {
    PemKeyCertOptions pem = new PemKeyCertOptions();
    for (TlsOptions.Certificate certificate : options.served()) {
      SelfSigned.warnIfSelfSigned(certificate.cert());
      pem.addCertValue(read(certificate.cert())).addKeyValue(read(certificate.key()));
    }
    return pem;
  }

  private static Buffer read(String file) {
    try {
      return Buffer.buffer(Files.readAllBytes(Path.of(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TLS file " + file + ": " + e.getMessage(), e);
    }
  }

  private List<Long> stamps() {
    List<Long> list = new ArrayList<>();
    for (TlsOptions.Certificate certificate : options.served()) {
      list.add(mtime(certificate.cert()));
      list.add(mtime(certificate.key()));
    }
    return list;
  }

  private static long mtime(String file) {
    try {
      return Files.getLastModifiedTime(Path.of(file)).toMillis() ^ Files.size(Path.of(file));
    } catch (IOException e) {
      return -1;
    }
  }

  /** Logs which TLS engine the listener on {@code port} runs. */
  public void logEngine(int port) {
    TlsEngine.log(options.engine(), port);
  }

  /** Polls the files' modification times; on a change installs the new certificates in {@code server}. */
  public long watch(Vertx vertx, HttpServer server) {
    if (options.reloadIntervalMs() <= 0) {
      return -1;
    }
    return vertx.setPeriodic(options.reloadIntervalMs(), id -> {
      List<Long> now = stamps();
      if (!now.equals(stamps)) {
        stamps = now;
        reload(server);
      }
    });
  }

  /**
   * What is wrong with the files the TLS settings name, each problem naming its key: a certificate or key file
   * that cannot be read or is not PEM, an unreadable trust file. Empty when TLS can start with them.
   */
  public static List<String> problems(TlsOptions options) {
    List<String> problems = new ArrayList<>();
    List<TlsOptions.Certificate> certificates = options.certificates();
    for (int i = 0; i < certificates.size(); i++) {
      pem(problems, "tls.certificates[" + i + "].cert", certificates.get(i).cert());
      pem(problems, "tls.certificates[" + i + "].key", certificates.get(i).key());
    }
    if (!options.backendTrustFile().isEmpty()) {
      pem(problems, "tls.backendTrustFile", options.backendTrustFile());
    }
    if (options.enabled()) {
      TlsEngine.problem(options.engine()).ifPresent(problems::add);
    }
    return problems;
  }

  private static void pem(List<String> problems, String key, String file) {
    try {
      if (!read(file).toString(StandardCharsets.US_ASCII).contains("-----BEGIN ")) {
        problems.add(key + ": TLS file " + file + " is not PEM");
      }
    } catch (UncheckedIOException e) {
      problems.add(key + ": " + e.getMessage());
    }
  }

  /** Installs this configuration's certificates in {@code server} now (a configuration reload). */
  public Future<Boolean> install(HttpServer server) {
    stamps = stamps();
    return reload(server);
  }

  private Future<Boolean> reload(HttpServer server) {
    ServerSSLOptions ssl;
    try {
      ssl = new ServerSSLOptions().setSni(true).setUseAlpn(options.http2())
        .setEnabledSecureTransportProtocols(PROTOCOLS).setKeyCertOptions(keyCerts());
      CIPHERS.forEach(ssl::addEnabledCipherSuite);
      if (options.http2()) {
        ssl.setApplicationLayerProtocols(List.of("h2", "http/1.1"));
      }
    } catch (RuntimeException e) {
      LOG.warn("TLS certificates changed but cannot be read, keeping the old ones: {}", e.getMessage());
      return Future.succeededFuture(false);
    }
    return server.updateSSLOptions(ssl, true)
      .onSuccess(updated -> LOG.info("TLS certificates reloaded on port {}", server.actualPort()))
      .onFailure(e -> LOG.warn("TLS certificates changed but were rejected, keeping the old ones: {}", e.getMessage()));
  }

  /** The backend client's options with TLS on when {@code backendSsl} is set. */
  public static HttpClientOptions backendClient(HttpClientOptions base, TlsOptions options) {
    if (!options.backendSsl()) {
      return base;
    }
    base.setSsl(true).setVerifyHost(options.backendVerifyHost()).setEnabledSecureTransportProtocols(PROTOCOLS);
    if (!options.backendTrustFile().isEmpty()) {
      base.setTrustOptions(new PemTrustOptions().addCertValue(read(options.backendTrustFile())));
    }
    return base;
  }
}
