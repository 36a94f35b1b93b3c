package com.foobar.platform.common;

import com.foobar.platform.common.config.Problems;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Loads a tier's configuration: the tier's defaults, then the {@code -conf} file, then environment variables
 * with the tier's prefix ({@link EnvOverrides}). The environment is read through vertx-config's {@code env}
 * store, so it is the same source the rest of the Vert.x stack uses.
 */
public final class TierConfig {

  private static final Logger LOG = LoggerFactory.getLogger(TierConfig.class);

  private TierConfig() {
  }

  /**
   * Loads and binds a tier's configuration declared by {@code schema}: the {@code -conf} file over the
   * defaults, then the environment; fails with every problem found (each naming its key), logs warnings.
   */
  public static Future<Settings> load(Vertx vertx, Schema schema, JsonObject fileConfig, String envPrefix) {
    // The environment through vertx-config's env store: the source the rest of the Vert.x stack reads.
    ConfigStoreOptions env = new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(env)
      .setScanPeriod(-1));
    return retriever.getConfig()
      .andThen(done -> retriever.close())
      .map(environment -> {
        Problems problems = new Problems();
        Settings settings = bind(schema, fileConfig, asStrings(environment), envPrefix, problems);
        problems.throwIfErrors(schema.what(), LOG::warn);
        return settings;
      });
  }

  /**
   * The binding itself, without Vert.x: what {@link #load} and the configuration check ({@code --check}) run.
   * Former key names in the file are renamed first, so the file merges cleanly over the defaults; a variable
   * naming a key by its former name wins over the file like any variable.
   */
  public static Settings bind(Schema schema, JsonObject fileConfig, Map<String, String> environment,
                              String envPrefix, Problems problems) {
    JsonObject file = schema.renameFormer(fileConfig == null ? new JsonObject() : fileConfig, "", problems, false);
    JsonObject merged = schema.defaults().toJson().mergeIn(file, true);
    try {
      merged = EnvOverrides.apply(merged, environment, envPrefix);
    } catch (IllegalArgumentException e) {
      problems.error("", e.getMessage());
    }
    return schema.bind(schema.renameFormer(merged, "", problems, true), "", problems);
  }

  private static Map<String, String> asStrings(JsonObject environment) {
    Map<String, String> map = new HashMap<>();
    environment.forEach(entry -> map.put(entry.getKey(), String.valueOf(entry.getValue())));
    return map;
  }
}
