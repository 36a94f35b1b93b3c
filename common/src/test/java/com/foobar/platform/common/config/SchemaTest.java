package com.foobar.platform.common.config;

import com.foobar.platform.common.TierConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaTest {

  private static final Schema NODE = new Schema("node options");
  private static final Key<String> HOST = NODE.text("host", "127.0.0.1", "address");
  private static final Key<Integer> NODE_PORT = NODE.port("port", 13306, "port");

  private static final Schema TOP = new Schema("test options");
  private static final Key<Integer> PORT = TOP.port("port", 8080, "public port");
  private static final Key<Integer> TIMEOUT = TOP.millis("connectTimeoutMs", 1000, 10, 60_000, "connect timeout",
    "connectTimeout");
  private static final Key<String> BALANCE = TOP.oneOf("balance", "roundrobin", List.of("roundrobin", "leastconn"),
    "algorithm");
  private static final Key<Settings> PRIMARY = TOP.group("primary", NODE, "the primary");
  private static final Key<List<String>> BACKENDS = TOP.key("backends", Types.listOf(Types.nonEmptyText()),
    List.of("a:1"), "backends");
  private static final Key<JsonObject> MANAGEMENT = TOP.vertx("management", new HttpServerOptions().toJson(),
    new JsonObject().put("host", "127.0.0.1").put("port", 8180), "management server", List.of());

  @Test
  void defaultsBindAndReadBackToTheSameSettings() {
    Settings defaults = TOP.defaults();
    assertThat(defaults.get(PORT)).isEqualTo(8080);
    assertThat(defaults.get(PRIMARY).get(NODE_PORT)).isEqualTo(13306);
    Settings again = TOP.bind(defaults.toJson(), warning -> { });
    assertThat(again.toJson()).isEqualTo(defaults.toJson());
  }

  @Test
  void anUnknownKeyAtAnyDepthIsAnErrorNamingItsPathAndTheNearestKnownKey() {
    JsonObject json = new JsonObject().put("primary", new JsonObject().put("hots", "db1"));
    assertThatThrownBy(() -> TOP.bind(json, warning -> { }))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("primary.hots: unknown key; did you mean 'host'?");
  }

  @Test
  void everyProblemIsListedWithTheExpectedType() {
    JsonObject json = new JsonObject().put("port", "80a").put("connectTimeoutMs", 5).put("balance", "random")
      .put("backends", new JsonArray().add("x:1").add(3))
      .put("management", new JsonObject().put("port", "x").put("hosst", "0"));
    ConfigException e = (ConfigException) catchThrowable(() -> TOP.bind(json, warning -> { }));
    assertThat(e.problems()).containsExactlyInAnyOrder(
      "port: expected an integer from 0 to 65535, got a string \"80a\"",
      "connectTimeoutMs: must be from 10 to 60000 ms, got 5",
      "balance: must be one of roundrobin, leastconn, got 'random'",
      "backends[1]: expected a string, got a number 3",
      "management.port: expected a number, got a string \"x\"",
      e.problems().stream().filter(p -> p.startsWith("management.hosst: unknown key; did you mean 'host'?"))
        .findFirst().orElse("management.hosst missing"));
  }

  @Test
  void aFormerNameIsAcceptedWithAWarningAndBothNamesAreAnError() {
    List<String> warnings = new ArrayList<>();
    Settings settings = TOP.bind(new JsonObject().put("connectTimeout", 2000), warnings::add);
    assertThat(settings.get(TIMEOUT)).isEqualTo(2000);
    assertThat(warnings).containsExactly("connectTimeout is a former name: write connectTimeoutMs");
    assertThatThrownBy(() -> TOP.bind(new JsonObject().put("connectTimeout", 1).put("connectTimeoutMs", 20),
      warning -> { })).hasMessageContaining("connectTimeoutMs: given twice, also as connectTimeout");
  }

  @Test
  void vertxOptionsMergeOverTheirDefaults() {
    Settings settings = TOP.bind(new JsonObject().put("management", new JsonObject().put("port", 9)), w -> { });
    HttpServerOptions management = new HttpServerOptions(settings.get(MANAGEMENT));
    assertThat(management.getHost()).isEqualTo("127.0.0.1");
    assertThat(management.getPort()).isEqualTo(9);
  }

  @Test
  void aListOfVertxOptionsChecksEachElementAndMergesItOverTheDefaults() {
    Schema schema = new Schema("list options");
    JsonObject defaults = new JsonObject().put("host", "127.0.0.1").put("port", 8180);
    Key<List<JsonObject>> servers = schema.key("servers", Types.listOf(Types.vertxOptions(
      new HttpServerOptions().toJson(), defaults, List.of())), List.of(defaults), "servers");
    Settings settings = schema.bind(new JsonObject().put("servers", new JsonArray()
      .add(new JsonObject().put("port", 9)).add(new JsonObject())), w -> { });
    assertThat(settings.get(servers)).extracting(json -> new HttpServerOptions(json).getHost() + ":"
      + new HttpServerOptions(json).getPort()).containsExactly("127.0.0.1:9", "127.0.0.1:8180");
    assertThatThrownBy(() -> schema.bind(new JsonObject().put("servers", new JsonArray()
      .add(new JsonObject().put("prot", 9))), w -> { }))
      .hasMessageContaining("servers[0].prot: unknown key; did you mean 'port'?");
  }

  @Test
  void aFileWithFormerNamesMergesOverTheDefaultsAndTheEnvironmentWins() {
    Problems problems = new Problems();
    Settings settings = TierConfig.bind(TOP, new JsonObject().put("connectTimeout", 3000)
        .put("primary", new JsonObject().put("port", 3307)),
      Map.of("FOOBAR_T_PRIMARY_HOST", "db1", "FOOBAR_T_PORT", "9090"), "FOOBAR_T_", problems);
    assertThat(problems.errors()).isEmpty();
    assertThat(settings.get(TIMEOUT)).isEqualTo(3000);
    assertThat(settings.get(PORT)).isEqualTo(9090);
    assertThat(settings.get(PRIMARY).get(HOST)).isEqualTo("db1");
    assertThat(settings.get(PRIMARY).get(NODE_PORT)).isEqualTo(3307);

    Problems again = new Problems();
    Settings fromEnv = TierConfig.bind(TOP, new JsonObject(), Map.of("FOOBAR_T_CONNECT_TIMEOUT", "4000"),
      "FOOBAR_T_", again);
    assertThat(again.errors()).isEmpty();
    assertThat(fromEnv.get(TIMEOUT)).isEqualTo(4000);
    assertThat(again.warnings()).contains("connectTimeout is a former name: write connectTimeoutMs");
  }

  @Test
  void aBadEnvironmentValueNamesTheVariable() {
    Problems problems = new Problems();
    TierConfig.bind(TOP, new JsonObject(), Map.of("FOOBAR_T_PORT", "eighty"), "FOOBAR_T_", problems);
    assertThat(problems.errors()).singleElement().asString().contains("FOOBAR_T_PORT");
  }

  @Test
  void aDurationWithoutItsUnitInTheNameCannotBeDeclared() {
    assertThatThrownBy(() -> new Schema("x").millis("timeout", 1, 0, 2, "t"))
      .isInstanceOf(IllegalStateException.class).hasMessageContaining("must end in Ms");
  }

  @Test
  void theKeyTableListsEveryKeyWithTypeDefaultAndFormerNames() {
    String table = KeyTable.markdown(TOP);
    assertThat(table).contains("| `connectTimeoutMs` | an integer from 10 to 60000 ms | `1000` | connect timeout "
      + "(formerly `connectTimeout`) |");
    assertThat(table).contains("| `primary.host` | a string | `\"127.0.0.1\"` | address |");
  }

  private static Throwable catchThrowable(Runnable runnable) {
    try {
      runnable.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
