package com.foobar.platform.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvOverridesTest {

  private final JsonObject config = new JsonObject()
    .put("port", 8080)
    .put("maxBodySize", 1024)
    .put("migrate", true)
    .put("name", "app-1")
    .put("backends", new JsonArray().add("a:1").add("b:2"))
    .put("primary", new JsonObject().put("host", "db").put("port", 3306))
    .put("replicas", new JsonArray().add(new JsonObject().put("port", 3307)));

  @Test
  void overridesTopLevelKeysWithTheirOwnType() {
    JsonObject result = EnvOverrides.apply(config, Map.of("FOOBAR_X_PORT", "9000", "FOOBAR_X_MIGRATE", "false",
      "FOOBAR_X_NAME", "007"), "FOOBAR_X_");
    assertThat(result.getValue("port")).isEqualTo(9000L);
    assertThat(result.getBoolean("migrate")).isFalse();
    assertThat(result.getValue("name")).isEqualTo("007");
  }

  @Test
  void matchesCamelCaseKeysAcrossUnderscores() {
    JsonObject result = EnvOverrides.apply(config, Map.of("FOOBAR_X_MAX_BODY_SIZE", "2048"), "FOOBAR_X_");
    assertThat(result.getInteger("maxBodySize")).isEqualTo(2048);
  }

  @Test
  void reachesNestedObjectsAndArrayElements() {
    JsonObject result = EnvOverrides.apply(config, Map.of("FOOBAR_X_PRIMARY_PORT", "13306",
      "FOOBAR_X_REPLICAS_0_PORT", "13307", "FOOBAR_X_PRIMARY_PASSWORD", "s3cret"), "FOOBAR_X_");
    assertThat(result.getJsonObject("primary").getInteger("port")).isEqualTo(13306);
    assertThat(result.getJsonObject("primary").getString("password")).isEqualTo("s3cret");
    assertThat(result.getJsonArray("replicas").getJsonObject(0).getInteger("port")).isEqualTo(13307);
  }

  @Test
  void splitsCommaListsAndParsesJsonArrays() {
    JsonObject commas = EnvOverrides.apply(config, Map.of("FOOBAR_X_BACKENDS", "h:1, h:2,h:3"), "FOOBAR_X_");
    assertThat(commas.getJsonArray("backends")).containsExactly("h:1", "h:2", "h:3");
    JsonObject json = EnvOverrides.apply(config, Map.of("FOOBAR_X_BACKENDS", "[\"j:1\"]"), "FOOBAR_X_");
    assertThat(json.getJsonArray("backends")).containsExactly("j:1");
  }

  @Test
  void ignoresOtherPrefixesAndLeavesTheInputAlone() {
    JsonObject result = EnvOverrides.apply(config, Map.of("FOOBAR_Y_PORT", "1", "PORT", "2"), "FOOBAR_X_");
    assertThat(result).isEqualTo(config);
    EnvOverrides.apply(config, Map.of("FOOBAR_X_PORT", "1"), "FOOBAR_X_");
    assertThat(config.getInteger("port")).isEqualTo(8080);
  }

  @Test
  void rejectsValuesThatDoNotFitTheKey() {
    assertThatThrownBy(() -> EnvOverrides.apply(config, Map.of("FOOBAR_X_PORT", "eighty"), "FOOBAR_X_"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FOOBAR_X_PORT");
    assertThatThrownBy(() -> EnvOverrides.apply(config, Map.of("FOOBAR_X_MIGRATE", "yes"), "FOOBAR_X_"))
      .hasMessageContaining("not true or false");
    assertThatThrownBy(() -> EnvOverrides.apply(config, Map.of("FOOBAR_X_REPLICAS_3_PORT", "1"), "FOOBAR_X_"))
      .hasMessageContaining("out of range");
  }
}
