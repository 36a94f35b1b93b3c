package com.foobar.platform.lb.edge;

import io.vertx.core.net.SelfSignedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Self-signed certificates at the edge: the one the balancer makes when it is told to serve HTTPS without a
 * certificate ({@code tls.selfSignedDir}), and the warning whenever a served certificate is self-signed (the one
 * {@code docker/make-secrets.sh} makes, say). Browsers refuse such a site until the visitor clicks through, and no
 * client can tell it from an impostor, so the warning is loud, at every start, once per certificate file.
 */
final class SelfSigned {

  private static final Logger LOG = LoggerFactory.getLogger(SelfSigned.class);
  static final String CERT = "self-signed.crt";
  static final String KEY = "self-signed.key";
  /** Files warned about in this process (each verticle instance builds its TLS options). */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private SelfSigned() {
  }

  /** The self-signed certificate in {@code dir}, made there first when missing (kept across restarts). */
  static synchronized TlsOptions.Certificate in(String dir) {
    Path cert = Path.of(dir, CERT);
    Path key = Path.of(dir, KEY);
    if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
      make(Path.of(dir), cert, key);
    }
    return new TlsOptions.Certificate(cert.toString(), key.toString());
  }

  /** Vert.x (Netty) makes the pair in temporary files; they are moved into {@code dir}, the key readable by us only. */
  private static void make(Path dir, Path cert, Path key) {
    SelfSignedCertificate made = SelfSignedCertificate.create(hostName());
    try {
      Files.createDirectories(dir);
      Path keyTmp = Files.createTempFile(dir, KEY, ".tmp");
      Files.setPosixFilePermissions(keyTmp, PosixFilePermissions.fromString("rw-------"));
      Files.write(keyTmp, Files.readAllBytes(Path.of(made.privateKeyPath())));
      Files.move(keyTmp, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.copy(Path.of(made.certificatePath()), cert, StandardCopyOption.REPLACE_EXISTING);
      LOG.warn("made a self-signed certificate for {} in {}", hostName(), dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the self-signed certificate to " + dir + ": " + e.getMessage(), e);
    } finally {
      made.delete();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** Logs the loud warning when the PEM certificate in {@code file} is self-signed; quiet for a CA's. */
  static void warnIfSelfSigned(String file) {
    if (isSelfSigned(file) && WARNED.add(file)) {
      LOG.warn("\n{}\n{}\n{}\n{}\n{}\n{}", "*".repeat(100),
        "*  HTTPS IS SERVED WITH A SELF-SIGNED CERTIFICATE (" + file + ")",
        "*  Browsers will refuse this site until a visitor clicks through, and no client can tell it from an impostor.",
        "*  Install the site's real certificate: tls.certificates in conf/lb.json, or FOOBAR_LB_TLS_CERTIFICATES=",
        "*  '[{\"cert\":\"/path/fullchain.pem\",\"key\":\"/path/privkey.pem\"}]' (README \"Security\").", "*".repeat(100));
    }
  }

  /** Subject and issuer are the same and the certificate verifies with its own key. */
  static boolean isSelfSigned(String file) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        return false;
      }
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (IOException | java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
