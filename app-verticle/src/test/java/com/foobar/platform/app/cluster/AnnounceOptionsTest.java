package com.foobar.platform.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app's {@code cluster} key: defaults, validation, round trip, and its TTL rule. */
class AnnounceOptionsTest {

  @Test
  void defaultsAndRoundTrip() {
    AppOptions options = new AppOptions(new JsonObject().put("cluster",
      new JsonObject().put("advertise", "10.0.0.12:8081").put("announceInterval", 500)));
    assertEquals("10.0.0.12:8081", options.getCluster().getAdvertise());
    assertTrue(options.getCluster().isAnnounce());
    assertEquals(options.toJson(), new AppOptions(options.toJson()).toJson());
    assertEquals(new JsonObject().put("announce", true).put("advertise", "").put("announceInterval", 1000)
        .put("discoverReplicas", true), new AppOptions().toJson().getJsonObject("cluster"));
    assertEquals(false, new AnnounceOptions(new JsonObject().put("discoverReplicas", false)).isDiscoverReplicas());
  }

  @Test
  void badValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new AnnounceOptions(new JsonObject().put("advertise", "nohost")));
    assertThrows(IllegalArgumentException.class, () -> new AnnounceOptions(new JsonObject().put("advertise", "h:99999")));
    assertThrows(IllegalArgumentException.class, () -> new AnnounceOptions(new JsonObject().put("announceInterval", 5)));
    assertThrows(IllegalArgumentException.class, () -> new AnnounceOptions(new JsonObject().put("annonce", true)));
  }

  @Test
  void entriesLiveThreeIntervalsInWholeSecondsAtLeastTwo() {
    assertEquals(2000, new ServerAnnouncer(null, "a", "h:1", 300).ttl());
    assertEquals(3000, new ServerAnnouncer(null, "a", "h:1", 1000).ttl());
    assertEquals(5000, new ServerAnnouncer(null, "a", "h:1", 1500).ttl());
  }
}
