package com.foobar.platform.app;

import com.foobar.platform.common.TierConfig;
import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.common.config.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The app's options as a file and the environment give them: renamed keys, node defaults, Vert.x's own keys. */
class AppOptionsTest {

  private static AppOptions bind(JsonObject file, Map<String, String> env, Problems problems) {
    AppOptions options = new AppOptions(TierConfig.bind(AppOptions.SCHEMA, file, env, AppVerticle.ENV_PREFIX, problems));
    assertThat(problems.errors()).isEmpty();
    return options;
  }

  @Test
  void theDefaultsReadBackToEqualOptions() {
    JsonObject defaults = new AppOptions().toJson();
    assertThat(new AppOptions(defaults).toJson()).isEqualTo(defaults);
    assertThat(defaults.getInteger("nodeCheckIntervalMs")).isEqualTo(1000);
    assertThat(defaults.getJsonObject("staticFiles").getInteger("fileCacheMs")).isEqualTo(1000);
  }

  @Test
  void durationsRenamedWithTheirUnitAreStillReadUnderTheirFormerNames() {
    Problems problems = new Problems();
    AppOptions options = bind(new JsonObject().put("maxReplicationLag", 7).put("nodeCheckInterval", 250)
      .put("consistencyWait", 40).put("staticFiles", new JsonObject().put("fileCacheMillis", 5))
      .put("cluster", new JsonObject().put("announceInterval", 900)), Map.of(), problems);
    assertThat(options.maxReplicationLagSeconds()).isEqualTo(7);
    assertThat(options.nodeCheckIntervalMs()).isEqualTo(250);
    assertThat(options.consistencyWaitMs()).isEqualTo(40);
    assertThat(options.staticFiles().fileCacheMs()).isEqualTo(5);
    assertThat(options.cluster().announceIntervalMs()).isEqualTo(900);
    assertThat(problems.warnings()).contains("maxReplicationLag is a former name: write maxReplicationLagSeconds",
      "staticFiles.fileCacheMillis is a former name: write fileCacheMs");
  }

  @Test
  void theEnvironmentReachesRenamedAndNestedKeys() {
    AppOptions options = bind(new JsonObject(), Map.of("FOOBAR_APP_NODE_CHECK_INTERVAL_MS", "300",
      "FOOBAR_APP_CONSISTENCY_WAIT", "20", "FOOBAR_APP_REPLICAS_0_PORT", "3307", "FOOBAR_APP_PRIMARY_PASSWORD", "s3",
      "FOOBAR_APP_STATIC_FILES_FILE_CACHE_MS", "0"), new Problems());
    assertThat(options.nodeCheckIntervalMs()).isEqualTo(300);
    assertThat(options.consistencyWaitMs()).isEqualTo(20);
    assertThat(options.replicas().get(0).getPort()).isEqualTo(3307);
    assertThat(options.primary().getPassword()).isEqualTo("s3");
    assertThat(options.staticFiles().fileCacheMs()).isZero();
  }

  @Test
  void aNodeGivenInPartTakesTheRestFromTheDefaultNodeOfItsPlace() {
    AppOptions options = bind(new JsonObject().put("primary", new JsonObject().put("host", "db1"))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "db2"))), Map.of(), new Problems());
    MySQLConnectOptions primary = options.primary();
    assertThat(primary.getHost()).isEqualTo("db1");
    assertThat(primary.getPort()).isEqualTo(13306);
    assertThat(primary.getUser()).isEqualTo("foobar_app");
    assertThat(primary.getDatabase()).isEqualTo("foobar");
    assertThat(options.replicas().get(0).getHost()).isEqualTo("db2");
    assertThat(options.replicas().get(0).getPort()).isEqualTo(13307);
    assertThat(new AppOptions(new JsonObject().put("primary", new JsonObject().put("port", 3306))).primary().getHost())
      .isEqualTo("127.0.0.1");
  }

  @Test
  void vertxsOwnOptionsAreCheckedKeyByKey() {
    ConfigException e = (ConfigException) catchThrowable(() -> new AppOptions(new JsonObject()
      .put("pool", new JsonObject().put("maxSzie", 3))
      .put("databaseClient", new JsonObject().put("connectTimeout", 0))
      .put("primary", new JsonObject().put("port", "x"))
      .put("replicas", new JsonArray().add(new JsonObject().put("port", 70000)))
      .put("management", new JsonObject().put("port", -1))));
    assertThat(e.problems()).anyMatch(problem -> problem.startsWith("pool.maxSzie: unknown key; did you mean 'maxSize'?"))
      .contains("databaseClient.connectTimeout: must be from 1 to 600000, got 0",
        "primary.port: expected a number, got a string \"x\"",
        "replicas[0].port: must be from 1 to 65535, got 70000",
        "management.port: must be from 0 to 65535, got -1");
    assertThatThrownBy(() -> new AppOptions(new JsonObject().put("nodeCheckIntervalMs", 10)))
      .hasMessageContaining("nodeCheckIntervalMs: must be from 50 to 3600000 ms, got 10");
  }

  private static Throwable catchThrowable(Runnable runnable) {
    try {
      runnable.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
