package com.foobar.platform.app.cluster;

import com.foobar.platform.app.AppOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app's {@code cluster} key: defaults, validation, round trip, and its TTL rule. */
class AnnounceOptionsTest {

  private static AnnounceOptions cluster(JsonObject json) {
    return new AppOptions(new JsonObject().put("cluster", json)).cluster();
  }

  @Test
  void defaultsAndRoundTrip() {
    AppOptions options = new AppOptions(new JsonObject().put("cluster",
      new JsonObject().put("advertise", "10.0.0.12:8081").put("announceIntervalMs", 500)));
    assertEquals("10.0.0.12:8081", options.cluster().advertise());
    assertTrue(options.cluster().announce());
    assertEquals(options.toJson(), new AppOptions(options.toJson()).toJson());
    assertEquals(new JsonObject().put("announce", true).put("advertise", "").put("announceIntervalMs", 1000)
        .put("discoverReplicas", true), new AppOptions().toJson().getJsonObject("cluster"));
    assertEquals(false, cluster(new JsonObject().put("discoverReplicas", false)).discoverReplicas());
  }

  @Test
  void theFormerNameOfTheIntervalIsStillRead() {
    assertEquals(700, cluster(new JsonObject().put("announceInterval", 700)).announceIntervalMs());
  }

  @Test
  void badValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> cluster(new JsonObject().put("advertise", "nohost")));
    assertThrows(IllegalArgumentException.class, () -> cluster(new JsonObject().put("advertise", "h:99999")));
    assertThrows(IllegalArgumentException.class, () -> cluster(new JsonObject().put("announceIntervalMs", 5)));
    assertThrows(IllegalArgumentException.class, () -> cluster(new JsonObject().put("annonce", true)));
  }

  @Test
  void entriesLiveThreeIntervalsInWholeSecondsAtLeastTwo() {
    assertEquals(2000, new ServerAnnouncer(null, "a", "h:1", 300).ttl());
    assertEquals(3000, new ServerAnnouncer(null, "a", "h:1", 1000).ttl());
    assertEquals(5000, new ServerAnnouncer(null, "a", "h:1", 1500).ttl());
  }
}
