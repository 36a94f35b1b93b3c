package com.foobar.platform.app.db;

import com.foobar.platform.app.AppOptions;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An errant node (here: a privileged write on the fenced replica, which the writer never got) serves no read,
 * not even the stale read that a healthy replica serves while the writer is down. On a pair of its own.
 */
@ExtendWith(VertxExtension.class)
class ErrantNodeRoutingTest {

  private MariaDbPair pair;
  private Database database;

  @BeforeEach
  void open(Vertx vertx) {
    pair = MariaDbPair.isolated();
    AppOptions options = new AppOptions(new JsonObject()
      .put("primary", new JsonObject().put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("port", pair.replicaPort()))));
    database = new Database(vertx, options, pair.password("app"), PlatformMetrics.registry());
    Await.result(database.refresh());
  }

  @AfterEach
  void close() {
    Await.result(database.close());
    pair.destroy();
  }

  private int serverIdOfRead() {
    return Await.result(database.read(c -> c.query("SELECT @@server_id").execute())).iterator().next().getInteger(0);
  }

  @Test
  void anErrantReplicaServesNoReadEvenWhenTheWriterIsDown() {
    pair.stop("primary");
    Await.result(database.refresh());
    assertThat(serverIdOfRead()).as("a healthy replica serves a stale read while the writer is down").isEqualTo(2);
    pair.up();
    Await.result(database.refresh());

    pair.sql("replica", "CREATE TABLE foobar.errant_write (id INT PRIMARY KEY)");
    Await.result(database.refresh());
    DatabaseNode replica = database.replicas().get(0);
    assertThat(replica.state().errant()).matches("0-2-[0-9]+");
    assertThat(database.describe().getJsonObject("replica-1").getString("errant")).isEqualTo(replica.state().errant());
    assertThat(serverIdOfRead()).as("reads go to the writer").isEqualTo(1);

    pair.stop("primary");
    Await.result(database.refresh());
    assertThat(replica.state().reachable()).isTrue();
    assertThat(replica.state().errant()).as("the verdict stays while there is no writer to compare with").isNotNull();
    assertThatThrownBy(this::serverIdOfRead).as("no read is served by the errant node").isNotNull();
  }
}
