package com.foobar.platform.common.db;

import com.foobar.platform.common.TierConfig;
import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Problems;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One declaration of a database node for every tier: the same defaults for a node given in part, keys checked. */
class DatabaseNodeOptionsTest {

  private static final Schema SCHEMA = new Schema("tier options");
  private static final Key<JsonObject> PRIMARY = DatabaseNodeOptions.primary(SCHEMA, "foobar_tier", "primary");
  private static final Key<List<JsonObject>> REPLICAS = DatabaseNodeOptions.replicas(SCHEMA, "foobar_tier", "replicas");

  private static Settings bind(JsonObject file) {
    Problems problems = new Problems();
    Settings settings = TierConfig.bind(SCHEMA, file, Map.of(), "FOOBAR_T_", problems);
    assertThat(problems.errors()).isEmpty();
    return settings;
  }

  @Test
  void aNodeGivenInPartTakesTheRestFromTheDefaultNodeOfItsPlace() {
    Settings settings = bind(new JsonObject().put("primary", new JsonObject().put("host", "db1"))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "db2")).add(new JsonObject().put("port", 3307))));
    MySQLConnectOptions primary = DatabaseNodeOptions.connect(settings.get(PRIMARY));
    assertThat(List.of(primary.getHost(), primary.getPort(), primary.getDatabase(), primary.getUser(),
      primary.getCharset())).containsExactly("db1", 13306, "foobar", "foobar_tier", "utf8mb4");
    List<MySQLConnectOptions> replicas = settings.get(REPLICAS).stream().map(DatabaseNodeOptions::connect).toList();
    assertThat(replicas).extracting(MySQLConnectOptions::getHost).containsExactly("db2", "127.0.0.1");
    assertThat(replicas).extracting(MySQLConnectOptions::getPort).containsExactly(13307, 3307);
    assertThat(replicas).extracting(MySQLConnectOptions::getUser).containsOnly("foobar_tier");
  }

  @Test
  void theDefaultsAreTheLaunchersPair() {
    Settings settings = SCHEMA.defaults();
    assertThat(settings.get(PRIMARY).getInteger("port")).isEqualTo(DatabaseNodeOptions.PRIMARY_PORT);
    assertThat(settings.get(REPLICAS)).singleElement()
      .satisfies(replica -> assertThat(replica.getInteger("port")).isEqualTo(DatabaseNodeOptions.REPLICA_PORT));
  }

  @Test
  void aNodesKeysAreVertxsOwnAndChecked() {
    assertThat(DatabaseNodeOptions.connect(bind(new JsonObject().put("primary", new JsonObject()
      .put("cachePreparedStatements", true).put("password", "pw"))).get(PRIMARY)).getCachePreparedStatements()).isTrue();
    assertThatThrownBy(() -> SCHEMA.bind(new JsonObject().put("primary", new JsonObject().put("prot", 1))
        .put("replicas", new JsonArray().add(new JsonObject().put("port", 0))), warning -> { }))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("primary.prot: unknown key; did you mean 'port'?")
      .hasMessageContaining("replicas[0].port: must be from 1 to 65535, got 0");
  }
}
