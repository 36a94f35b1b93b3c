package com.foobar.platform.app.web;

import com.foobar.platform.app.AppOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The staticFiles options: JSON round trip, validation, and the conf files carrying exactly the defaults. */
class StaticFilesOptionsTest {

  @Test
  void roundTripsAndRejectsWhatIsWrong() {
    JsonObject json = new StaticFilesOptions(new JsonObject().put("compressMinSize", 10)
      .put("defaultCacheControl", "no-store")).toJson();
    assertThat(new StaticFilesOptions(json).toJson()).isEqualTo(json);
    assertThatThrownBy(() -> new StaticFilesOptions(new JsonObject().put("gzip", true)))
      .hasMessageContaining("gzip");
    assertThatThrownBy(() -> new StaticFilesOptions(new JsonObject().put("cacheControl",
      new JsonArray().add(new JsonObject().put("pattern", "([").put("value", "x")))))
      .hasMessageContaining("not a regular expression");
    assertThatThrownBy(() -> new StaticFilesOptions(new JsonObject().put("compressionLevel", 0)))
      .hasMessageContaining("compressionLevel");
  }

  @Test
  void aCacheRuleWithAnUnknownKeyIsRefused() {
    assertThatThrownBy(() -> new StaticFilesOptions(new JsonObject().put("cacheControl",
      new JsonArray().add(new JsonObject().put("pattern", ".*").put("value", "x").put("vlaue", "y")))))
      .hasMessageContaining("cacheControl[0]");
  }

  @Test
  void theFormerNameOfTheFileCacheTimeIsStillRead() {
    assertThat(new StaticFilesOptions(new JsonObject().put("fileCacheMillis", 250)).fileCacheMs()).isEqualTo(250);
  }

  @Test
  void theConfFilesHoldTheDefaults() throws IOException {
    for (String name : new String[] {"app-1.json", "app-2.json"}) {
      Path conf = Path.of("..", "conf", name);
      AppOptions options = new AppOptions(new JsonObject(Files.readString(conf)));
      assertThat(options.staticFiles().toJson()).as(name).isEqualTo(new StaticFilesOptions().toJson());
    }
  }
}
