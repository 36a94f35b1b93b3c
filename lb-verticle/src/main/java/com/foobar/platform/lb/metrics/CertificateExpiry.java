package com.foobar.platform.lb.metrics;

import com.foobar.platform.lb.edge.TlsOptions;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code foobar_lb_tls_certificate_expiry_seconds{certificate}}: the seconds until each serving certificate's
 * {@code notAfter} (negative once expired), so an alert can warn weeks ahead. The file is read again when it
 * changes on disk, as the balancer's certificate watch installs a renewed one; a reload that changes the list of
 * certificates changes the series. A file that cannot be parsed has no series (its problem is the balancer's
 * start or reload refusing it).
 */
public final class CertificateExpiry {

  private record Parsed(long stamp, long notAfterMillis) {
  }

  private final MultiGauge gauge;
  private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

  public CertificateExpiry(MeterRegistry registry) {
    this.gauge = MultiGauge.builder("foobar_lb_tls_certificate_expiry_seconds")
      .description("Seconds until the serving TLS certificate expires (its notAfter), per certificate file")
      .register(registry);
  }

  /** Reports the certificates of {@code tls} (none when TLS is off), replacing those reported before. */
  public void track(TlsOptions tls) {
    List<String> files = tls.enabled() ? tls.served().stream().map(TlsOptions.Certificate::cert).toList()
      : List.of();
    parsed.keySet().retainAll(files);
    gauge.register(files.stream().map(file -> MultiGauge.Row.of(Tags.of("certificate", file),
      () -> secondsLeft(file))).toList(), true);
  }

  /** Removes this balancer's series (a closed balancer serves no certificate). */
  public void close() {
    gauge.register(List.of(), true);
    parsed.clear();
  }

  private double secondsLeft(String file) {
    Parsed known = parsed.compute(file, (name, before) -> before != null && before.stamp() == stamp(name)
      ? before : parse(name));
    return known == null ? Double.NaN : (known.notAfterMillis() - System.currentTimeMillis()) / 1000.0;
  }

  private static long stamp(String file) {
    try {
      return Files.getLastModifiedTime(Path.of(file)).toMillis() ^ Files.size(Path.of(file));
    } catch (IOException e) {
      return -1;
    }
  }

  /** The first certificate of the PEM file: the server's own, the chain's intermediates follow it. */
  private static Parsed parse(String file) {
    long stamp = stamp(file);
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return new Parsed(stamp, leaf.getNotAfter().getTime());
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      return null;
    }
  }
}
