package com.foobar.platform.lb.backend;

import com.foobar.platform.common.Options;
import com.foobar.platform.common.config.Types;
import com.foobar.platform.common.config.ValueType;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;

/**
 * One configured backend: its {@code host:port} and its weight (HAProxy's {@code weight}). In JSON either the
 * plain string {@code "h:p"} (weight 1) or {@code {"address": "h:p", "weight": 2}}.
 */
public final class BackendSpec {

  public static final int DEFAULT_WEIGHT = 1;
  public static final int MAX_WEIGHT = 256;
  /** How the configuration reads and writes an entry of {@code backends}: through {@link #parse}, its one parser. */
  public static final ValueType<BackendSpec> TYPE = Types.parsed(
    "\"host:port\" or {\"address\": \"host:port\", \"weight\": 1..256}", BackendSpec::parse, BackendSpec::toJson);

  private final HostAndPort address;
  private final int weight;

  public BackendSpec(HostAndPort address, int weight) {
    this.address = address;
    this.weight = Options.requireRange("weight", weight, 1, MAX_WEIGHT);
  }

  /** Parses a string or an object; anything else is an {@link IllegalArgumentException} naming the input. */
  public static BackendSpec parse(Object json) {
    if (json instanceof String) {
      return new BackendSpec(parseAddress((String) json), DEFAULT_WEIGHT);
    }
    if (json instanceof JsonObject) {
      JsonObject object = (JsonObject) json;
      Options.requireKnownKeys(object, java.util.Set.of("address", "weight"), "backend");
      Object address = object.getValue("address");
      Object weight = object.getValue("weight", DEFAULT_WEIGHT);
      if (!(address instanceof String)) {
        throw new IllegalArgumentException("backend address must be a \"host:port\" string");
      }
      if (!(weight instanceof Integer)) {
        throw new IllegalArgumentException("backend weight must be an integer");
      }
      return new BackendSpec(parseAddress((String) address), (Integer) weight);
    }
    throw new IllegalArgumentException("backend must be \"host:port\" or {\"address\":\"host:port\",\"weight\":n}");
  }

  /** A missing or bad port is an error, not a default. */
  public static HostAndPort parseAddress(String address) {
    HostAndPort hostAndPort = HostAndPort.parseAuthority(address.trim(), -1);
    if (hostAndPort == null || hostAndPort.port() <= 0 || hostAndPort.port() > 65535) {
      throw new IllegalArgumentException("backend '" + address + "' is not host:port");
    }
    return hostAndPort;
  }

  public HostAndPort address() {
    return address;
  }

  public String name() {
    return address.host() + ":" + address.port();
  }

  public int weight() {
    return weight;
  }

  /** The plain string when the weight is the default, so the minimal contract round-trips unchanged. */
  public Object toJson() {
    return weight == DEFAULT_WEIGHT ? name() : new JsonObject().put("address", name()).put("weight", weight);
  }
}
