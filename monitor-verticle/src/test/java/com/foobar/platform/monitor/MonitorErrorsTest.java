package com.foobar.platform.monitor;

import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.monitor.failover.FailoverException;
import com.foobar.platform.monitor.status.StatusException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure the monitor's domain reports gets its status and code in one place, and the API answers with it. */
@ExtendWith(VertxExtension.class)
class MonitorErrorsTest {

  private static final String TOKEN = "monitor-errors-test-token";

  /** Each refusal with the status, code, Retry-After and field it is answered with. */
  private static final Map<RuntimeException, List<Object>> ANSWERS = Map.ofEntries(
    answer(new FailoverException.NoSuchNode("replica-9"), 400, "validation_failed", 0, "target"),
    answer(new FailoverException.TargetRequired("send a target"), 400, "validation_failed", 0, "target"),
    answer(new FailoverException.AlreadyWriter("primary"), 409, "already_writer", 0, ""),
    answer(new FailoverException.SwitchoverNotReady(), 409, "not_ready", 0, ""),
    answer(new FailoverException.FailoverNotReady("replica-1 lacks 0-1-5"), 409, "not_ready", 0, ""),
    answer(new FailoverException.WriterAlive("primary"), 409, "writer_alive", 0, ""),
    answer(new FailoverException.SwitchoverFailed(new IllegalStateException("timed out")), 503, "switchover_failed",
      2, ""),
    answer(new FailoverException.FailoverFailed(), 503, "failover_failed", 0, ""),
    answer(new FailoverException.ManagerOff(), 503, "failover_off", 60, ""),
    answer(new StatusException.NotReady(), 503, "not_ready", 1, ""),
    answer(new StatusException.BadParameter("history", "history must be true or false"), 400, "validation_failed", 0,
      "history"));

  private static Map.Entry<RuntimeException, List<Object>> answer(RuntimeException failure, int status, String code,
                                                                  int retryAfterSeconds, String field) {
    return Map.entry(failure, List.of(status, code, retryAfterSeconds, field));
  }

  private WebClient client;
  private MonitorVerticle monitor;

  @Test
  void everyRefusalOfTheDomainHasItsAnswer() {
    List<Class<?>> refusals = Arrays.asList(FailoverException.class.getPermittedSubclasses());
    assertThat(ANSWERS.keySet()).extracting(Object::getClass).as("every failover refusal is listed here")
      .containsAll(refusals);
    assertThat(ANSWERS.keySet()).extracting(Object::getClass)
      .containsAll(Arrays.asList(StatusException.class.getPermittedSubclasses()));
    ANSWERS.forEach((failure, answer) -> {
      HttpStatusException mapped = MonitorErrors.classify(failure).orElseThrow();
      assertThat(List.<Object>of(mapped.status(), mapped.code(), mapped.retryAfterSeconds(),
        mapped.field() == null ? "" : mapped.field())).as(failure.getClass().getSimpleName()).isEqualTo(answer);
      assertThat(mapped.getMessage()).isEqualTo(failure.getMessage());
    });
    assertThat(MonitorErrors.classify(new IllegalStateException("bug"))).as("left to the generic 500").isEmpty();
  }

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext context) {
    System.setProperty(ManagementToken.PROPERTY, TOKEN);
    client = WebClient.create(vertx);
    monitor = new MonitorVerticle();
    // Nothing to probe and no failover credentials: the manager is off.
    JsonObject unreachable = new JsonObject().put("port", 1);
    JsonObject config = new JsonObject().put("port", 0).put("intervalMs", 200).put("timeoutMs", 100)
      .put("balancer", new JsonObject().put("name", "lb").put("url", "http://127.0.0.1:1/health"))
      .put("servers", new JsonArray().add(new JsonObject().put("name", "app-1").put("url", "http://127.0.0.1:1/h")))
      .put("primary", unreachable).put("replicas", new JsonArray()).put("passwordFile", "")
      .put("synthetic", new JsonObject().put("enabled", false)).put("traffic", new JsonObject().put("enabled", false))
      .put("failover", new JsonObject().put("passwordFile", "").put("replicationPasswordFile", ""));
    vertx.deployVerticle(monitor, new DeploymentOptions().setConfig(config)).onComplete(context.succeedingThenComplete());
  }

  @AfterEach
  void clearToken() {
    System.clearProperty(ManagementToken.PROPERTY);
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String body, boolean token) throws Exception {
    var request = client.request(method, monitor.actualPort(), "127.0.0.1", path);
    if (token) {
      request.putHeader("Authorization", ManagementToken.bearer(TOKEN));
    }
    var sent = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
    return sent.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.getString("field")).isEqualTo(field);
  }

  @Test
  void theApiAnswersEachRefusalAsJsonWithItsStatus() throws Exception {
    HttpResponse<Buffer> off = send(HttpMethod.GET, "/admin/failover", null, true);
    assertError(off, 503, "failover_off", null);
    assertThat(off.getHeader("retry-after")).isEqualTo("60");
    assertError(send(HttpMethod.POST, "/admin/switchover", "{\"target\": \"replica-1\"}", true), 503,
      "failover_off", null);
    assertError(send(HttpMethod.POST, "/admin/switchover", "{}", true), 400, "validation_failed", "target");
    assertError(send(HttpMethod.POST, "/admin/failover", "not json", true), 400, "validation_failed", "target");
    assertError(send(HttpMethod.POST, "/admin/switchover", "{\"target\": 7}", true), 400, "validation_failed",
      "target");
    assertError(send(HttpMethod.GET, "/admin/failover", null, false), 401, "unauthorized", null);
    assertError(send(HttpMethod.GET, "/api/status?history=maybe", null, false), 400, "validation_failed", "history");
    assertError(send(HttpMethod.GET, "/nope", null, false), 404, "not_found", null);
    assertError(send(HttpMethod.DELETE, "/api/status", null, false), 405, "method_not_allowed", null);
  }
}
