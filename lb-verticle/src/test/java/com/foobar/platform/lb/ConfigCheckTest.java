package com.foobar.platform.lb;

import com.foobar.platform.common.launch.ConfigCheck;
import com.foobar.platform.common.launch.TierDefinition;
import com.foobar.platform.testing.RepoRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --check} of the balancer's jar, as its shared main class runs it: the file and the environment, as a start. */
class ConfigCheckTest {

  @TempDir
  Path dir;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private int check(Map<String, String> environment, String... args) {
    return ConfigCheck.run(new LoadBalancerTier(), args, environment,
      new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theJarFindsTheBalancersDefinition() {
    assertThat(TierDefinition.find()).isInstanceOf(LoadBalancerTier.class);
  }

  @Test
  void theCommittedConfigIsValid() {
    assertThat(check(Map.of(), "-conf", RepoRoot.find().resolve("conf/lb.json").toString())).isZero();
    assertThat(output()).contains("conf/lb.json with the FOOBAR_LB_* environment (balancer): valid");
  }

  @Test
  void aBrokenFileIsRefusedWithEveryProblemAndTheEnvironmentCounts() throws Exception {
    Path file = dir.resolve("lb.json");
    Files.writeString(file, "{\"port\": \"eighty\", \"connectTimeout\": 50, \"retrys\": 1,"
      + " \"tls\": {\"certificates\": [{\"cert\": \"" + dir.resolve("none.crt") + "\", \"key\": \"k\"}]}}");
    assertThat(check(Map.of("FOOBAR_LB_BALANCE", "random"), "-conf", file.toString())).isEqualTo(1);
    assertThat(output())
      .contains("warning: connectTimeout is a former name: write connectTimeoutMs")
      .contains("3 problems")
      .contains("port: expected an integer from 0 to 65535, got a string \"eighty\"")
      .contains("retrys: unknown key; did you mean 'retries'?")
      .contains("balance: must be one of roundrobin, leastconn, got 'random'");
  }

  @Test
  void filesTheConfigurationNamesAreCheckedOnceTheKeysAreValid() throws Exception {
    Path file = dir.resolve("lb.json");
    Files.writeString(file, "{\"tls\": {\"certificates\": [{\"cert\": \"" + dir.resolve("none.crt")
      + "\", \"key\": \"" + dir.resolve("none.key") + "\"}]}, \"backends\": []}");
    assertThat(check(Map.of(), "-conf", file.toString())).isEqualTo(1);
    assertThat(output()).contains("3 problems").contains("backends is empty")
      .contains("tls.certificates[0].cert: cannot read TLS file").contains("none.crt")
      .contains("tls.certificates[0].key: cannot read TLS file");
    printed.reset();
    assertThat(check(Map.of(), "-conf", file.toString(), "-cluster")).as("-cluster discovers backends").isEqualTo(1);
    assertThat(output()).contains("2 problems").doesNotContain("backends is empty");
  }

  @Test
  void aFileThatIsNotJsonOrNotThereIsRefused() throws Exception {
    Path file = dir.resolve("lb.json");
    Files.writeString(file, "{\"port\": ");
    assertThat(check(Map.of(), "-conf", file.toString())).isEqualTo(1);
    assertThat(output()).contains("cannot be read").contains("is not valid JSON");
    assertThat(check(Map.of(), "-conf", dir.resolve("gone.json").toString())).isEqualTo(1);
    assertThat(output()).contains("does not exist");
  }
}
