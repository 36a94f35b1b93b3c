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

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the routing rules send each kind of statement, told by the node's own {@code @@server_id}. */
@ExtendWith(VertxExtension.class)
class DatabaseTest {

  private Database database;

  @BeforeEach
  void open(Vertx vertx) throws IOException {
    MariaDbPair pair = MariaDbPair.shared();
    AppOptions options = new AppOptions(new JsonObject()
      .put("primary", new JsonObject().put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("port", pair.replicaPort()))));
    database = new Database(vertx, options, Files.readString(pair.secret("app")).strip(), PlatformMetrics.registry());
    Await.result(database.refresh());
  }

  @AfterEach
  void close() {
    Await.result(database.close());
  }

  private int serverIdOf(io.vertx.core.Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> rows) {
    return Await.result(rows).iterator().next().getInteger(0);
  }

  @Test
  void plainReadsRunOnTheReplicaAndWritesOnThePrimary() {
    assertThat(serverIdOf(database.read(c -> c.query("SELECT @@server_id").execute()))).isEqualTo(2);
    assertThat(serverIdOf(database.write(c -> c.query("SELECT @@server_id").execute()))).isEqualTo(1);
  }

  @Test
  void everyStatementOfATransactionRunsOnThePrimary() {
    int inTransaction = Await.result(database.transaction(c -> c.query("SELECT @@server_id").execute()
      .compose(first -> c.query("SELECT id FROM posts ORDER BY id LIMIT 1 FOR UPDATE").execute())
      .compose(locked -> c.query("SELECT @@server_id").execute()))).iterator().next().getInteger(0);
    assertThat(inTransaction).isEqualTo(1);
  }

  @Test
  void aStoppedReplicaIsSeenAsUnusableAndReadsGoToThePrimary() {
    MariaDbPair.shared().stop("replica");
    try {
      Await.result(database.refresh());
      assertThat(database.replicas().get(0).state().reachable()).isFalse();
      assertThat(serverIdOf(database.read(c -> c.query("SELECT @@server_id").execute()))).isEqualTo(1);
    } finally {
      MariaDbPair.shared().up();
    }
  }
}
