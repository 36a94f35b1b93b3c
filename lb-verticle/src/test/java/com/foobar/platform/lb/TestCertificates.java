package com.foobar.platform.lb;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Self-signed EC P-256 certificates made with openssl, as {@code ./foobar up} makes its own. */
public final class TestCertificates {

  private TestCertificates() {
  }

  /** {@code dir/name.crt} and {@code dir/name.key} for {@code name}, valid for {@code days}. */
  public static void make(Path dir, String name, int days) throws Exception {
    Process process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
      "ec_paramgen_curve:prime256v1", "-nodes", "-days", Integer.toString(days), "-subj", "/CN=" + name,
      "-addext", "subjectAltName=DNS:" + name, "-keyout", dir.resolve(name + ".key").toString(),
      "-out", dir.resolve(name + ".crt").toString()).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }
}
