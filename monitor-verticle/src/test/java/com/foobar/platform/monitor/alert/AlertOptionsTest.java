package com.foobar.platform.monitor.alert;

import com.foobar.platform.common.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertOptionsTest {

  private static AlertOptions bind(JsonObject json) {
    return new AlertOptions(AlertOptions.SCHEMA.bind(json, warning -> { }));
  }

  @Test
  void defaultsRoundTripAndUnknownKeysAndBadValuesAreRejected() {
    JsonObject defaults = AlertOptions.SCHEMA.defaults().toJson();
    assertThat(AlertOptions.SCHEMA.bind(defaults, warning -> { }).toJson()).isEqualTo(defaults);
    assertThat(bind(new JsonObject()).maxErrorRatio()).isEqualTo(0.05);
    assertThat(bind(new JsonObject()).generatorUrl()).isNull();
    assertThatThrownBy(() -> bind(new JsonObject().put("treshold", 1)))
      .isInstanceOf(ConfigException.class).hasMessageContaining("treshold");
    assertThatThrownBy(() -> bind(new JsonObject().put("maxErrorRatio", 2.0)))
      .isInstanceOf(ConfigException.class).hasMessageContaining("maxErrorRatio: expected a number from 0 to 1");
    assertThatThrownBy(() -> bind(new JsonObject().put("webhooks", new JsonArray().add("ftp://x"))))
      .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks[0]").hasMessageContaining("http(s)");
    assertThat(bind(new JsonObject().put("maxErrorRatio", 0).put("componentDownForSeconds", 1)).maxErrorRatio())
      .isEqualTo(0.0);
  }
}
