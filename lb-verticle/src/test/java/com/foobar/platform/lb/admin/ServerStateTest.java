package com.foobar.platform.lb.admin;

import com.foobar.platform.lb.BalancerTestBase;
import com.foobar.platform.lb.TestBackend;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Admin changes are kept in the server-state file across a restart, and each is audited with the token's id. */
@ExtendWith(VertxExtension.class)
class ServerStateTest extends BalancerTestBase {

  private TestBackend a;
  private TestBackend b;
  private TestBackend c;
  private Path stateFile;
  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

  @BeforeEach
  void backends(Vertx vertx) throws Exception {
    this.vertx = vertx;
    a = new TestBackend(vertx, "a");
    b = new TestBackend(vertx, "b");
    c = new TestBackend(vertx, "c");
    stateFile = Files.createTempDirectory("lb-state").resolve("server-state.json");
    audit.start();
    ((Logger) LoggerFactory.getLogger("com.foobar.platform.lb.audit")).addAppender(audit);
  }

  @AfterEach
  void detach() {
    ((Logger) LoggerFactory.getLogger("com.foobar.platform.lb.audit")).detachAppender(audit);
  }

  private void start() {
    deploy(new JsonArray().add(a.address()).add(b.address()),
      new JsonObject().put("serverStateFile", stateFile.toString()));
  }

  @Test
  void drainWeightAddAndRemoveSurviveARestartAndAreAudited() throws Exception {
    start();
    assertThat(put(a.address(), new JsonObject().put("state", "drain").put("weight", 3)).statusCode()).isEqualTo(200);
    assertThat(Await.result(admin.post("/admin/backends").sendJsonObject(new JsonObject().put("address", c.address())))
      .statusCode()).isEqualTo(201);
    assertThat(Await.result(admin.delete("/admin/backends/" + b.address()).send()).statusCode()).isEqualTo(200);
    JsonObject saved = new JsonObject(Files.readString(stateFile));
    assertThat(saved.getJsonArray("removed")).containsExactly(b.address());

    Await.result(vertx.undeploy(balancer.deploymentID()));
    closeClients();
    start();

    assertThat(states()).containsExactly(java.util.Map.entry(a.address(), "DRAIN"), java.util.Map.entry(c.address(), "UP"));
    assertThat(adminJson("/admin/backends/" + a.address()).getInteger("weight")).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(get("/").getHeader("X-Served-By")).isEqualTo("c");
    }
    String tokenId = ManagementToken.id(TOKEN);
    assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage)
      .anySatisfy(line -> assertThat(line).contains("token=" + tokenId).contains(a.address()).contains("state DRAIN")
        .contains("weight 3"))
      .anySatisfy(line -> assertThat(line).contains("token=" + tokenId).contains("added backend " + c.address()))
      .anySatisfy(line -> assertThat(line).contains("token=" + tokenId).contains("removed backend " + b.address()));
    assertThat(tokenId).hasSize(12).doesNotContain(TOKEN);
  }

  @Test
  void readyClearsTheKeptDrain() throws Exception {
    start();
    put(a.address(), new JsonObject().put("state", "drain"));
    put(a.address(), new JsonObject().put("state", "ready"));
    Await.result(vertx.undeploy(balancer.deploymentID()));
    closeClients();
    start();
    assertThat(states()).containsEntry(a.address(), "UP");
  }
}
