package com.foobar.platform.system;

import com.foobar.platform.testing.RepoRoot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shipped configuration passes its tier's own check ({@code java -jar <tier>.jar --check}, what
 * {@code ./foobar check} and {@code ./foobar up} run), and a typo inside a nested object fails it, naming the key.
 */
class ShippedConfigCheckTest {

  private static final Path ROOT = RepoRoot.find();

  @ParameterizedTest
  @CsvSource({
    "lb-verticle, conf/lb.json, tls, port, ports",
    "app-verticle, conf/app-1.json, primary, host, hots",
    "app-verticle, conf/app-2.json, staticFiles, compress, compres",
    "monitor-verticle, conf/monitor.json, failover, checkIntervalMs, checkIntervalMss"})
  void theShippedFileIsValidAndATypoDeepInsideIsNamed(String module, String conf, String group, String key,
                                                     String typo) throws Exception {
    Processes.Result good = check(module, ROOT.resolve(conf));
    assertThat(good.exitCode()).as(good.output()).isZero();
    assertThat(good.output()).contains("valid");

    String text = Files.readString(ROOT.resolve(conf));
    int at = text.indexOf("\"" + group + "\"");
    int keyAt = text.indexOf("\"" + key + "\"", at);
    assertThat(at).as("%s names %s", conf, group).isPositive();
    assertThat(keyAt).as("%s names %s.%s", conf, group, key).isGreaterThan(at);
    Path broken = Files.createTempFile("foobar-check-", ".json");
    try {
      Files.writeString(broken, text.substring(0, keyAt) + "\"" + typo + "\"" + text.substring(keyAt + key.length() + 2));
      Processes.Result bad = check(module, broken);
      assertThat(bad.exitCode()).as(bad.output()).isEqualTo(1);
      assertThat(bad.output()).contains(group + "." + typo + ": unknown key; did you mean '" + key + "'?");
    } finally {
      Files.deleteIfExists(broken);
    }
  }

  private static Processes.Result check(String module, Path conf) {
    return Processes.run(List.of("java", "-jar", TierProcess.jar(module).toString(), "--check", "-conf",
      conf.toString()), null, 60);
  }
}
