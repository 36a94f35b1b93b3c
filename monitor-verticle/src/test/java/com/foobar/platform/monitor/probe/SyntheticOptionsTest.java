package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticOptionsTest {

  private static SyntheticOptions bind(JsonObject json) {
    return new SyntheticOptions(SyntheticOptions.SCHEMA.bind(json, warning -> { }));
  }

  @Test
  void theSiteIsAnHttpUrlWithoutItsTrailingSlashAndTheAuthorFitsTheApp() {
    assertThatThrownBy(() -> bind(new JsonObject().put("url", "nope"))).isInstanceOf(ConfigException.class)
      .hasMessageContaining("url: expected an absolute http(s) URL");
    assertThat(bind(new JsonObject().put("url", "http://127.0.0.1:8080/")).url()).isEqualTo("http://127.0.0.1:8080");
    assertThatThrownBy(() -> bind(new JsonObject().put("author", "x".repeat(65))))
      .hasMessageContaining("author: must be at most 64 characters");
    assertThatThrownBy(() -> bind(new JsonObject().put("author", " "))).hasMessageContaining("author");
  }
}
