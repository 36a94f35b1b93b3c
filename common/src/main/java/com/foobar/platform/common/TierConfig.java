package com.foobar.platform.common;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * Loads a tier's configuration: the tier's defaults, then the {@code -conf} file, then environment variables
 * with the tier's prefix ({@link EnvOverrides}). The environment is read through vertx-config's {@code env}
 * store, so it is the same source the rest of the Vert.x stack uses.
 */
public final class TierConfig {

  private TierConfig() {
  }

  /**
   * @param defaults  the options class's {@code toJson()} of its defaults: the keys an override may name
   * @param fileConfig the verticle's {@code config()}, from {@code -conf}
   * @param envPrefix  for example {@code FOOBAR_LB_}
   * @return the merged configuration, failed with a message naming the variable when one does not fit
   */
  public static Future<JsonObject> load(Vertx vertx, JsonObject defaults, JsonObject fileConfig, String envPrefix) {
    ConfigStoreOptions env = new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(env)
      .setScanPeriod(-1));
    return retriever.getConfig()
      .andThen(done -> retriever.close())
      .map(environment -> {
        JsonObject merged = defaults.copy().mergeIn(fileConfig == null ? new JsonObject() : fileConfig, true);
        return EnvOverrides.apply(merged, asStrings(environment), envPrefix);
      });
  }

  private static Map<String, String> asStrings(JsonObject environment) {
    Map<String, String> map = new HashMap<>();
    environment.forEach(entry -> map.put(entry.getKey(), String.valueOf(entry.getValue())));
    return map;
  }
}
