package com.foobar.platform.lb.admin;

import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.backend.Backend;
import com.foobar.platform.lb.backend.BackendSpec;
import com.foobar.platform.lb.backend.Backends;
import com.foobar.platform.lb.backend.ServerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every change an operator makes to the backends: applied, written on the audit logger
 * {@code com.foobar.platform.lb.audit} with who made it (the token id, {@code ManagementToken.id}, and the
 * address it came from; or the signal) and what changed, and kept in the server-state file ({@link ServerState})
 * so that a restarted balancer starts with the same DRAIN/MAINT states, weights, and added or removed backends.
 * The operator's word on a backend holds until the operator changes it again or a reload changes that backend's
 * entry in the configuration.
 */
public final class AdminChanges {

  static final Logger AUDIT = LoggerFactory.getLogger("com.foobar.platform.lb.audit");
  private static final Logger LOG = LoggerFactory.getLogger(AdminChanges.class);

  private final Vertx vertx;
  private final Backends backends;
  /** The configuration now, to tell configured backends from the operator's. */
  private final Supplier<LoadBalancerOptions> options;
  private final ServerState state;
  /** Backends the admin API added (not in the configuration), by name. */
  private final Set<String> added = ConcurrentHashMap.newKeySet();
  /** Configured backends the admin API removed. */
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  /** Backends whose state or weight an operator set: name to {"state":..,"weight":..}. */
  private final Map<String, JsonObject> overrides = new ConcurrentHashMap<>();

  public AdminChanges(Vertx vertx, Backends backends, Supplier<LoadBalancerOptions> options, ServerState state) {
    this.vertx = vertx;
    this.backends = backends;
    this.options = options;
    this.state = state;
  }

  /** At start, after the configured backends were added: the saved changes on top. */
  public void restore() {
    if (!state.enabled()) {
      return;
    }
    JsonObject saved = state.load();
    saved.getJsonArray("removed", new JsonArray()).forEach(name -> {
      removed.add((String) name);
      backends.find((String) name).ifPresent(backends::remove);
    });
    for (Object item : saved.getJsonArray("backends", new JsonArray())) {
      JsonObject entry = (JsonObject) item;
      String name = entry.getString("address");
      if (entry.getBoolean("added", false) && backends.find(name).isEmpty()) {
        backends.add(new BackendSpec(BackendSpec.parseAddress(name), entry.getInteger("weight", BackendSpec.DEFAULT_WEIGHT)));
        added.add(name);
      }
      backends.find(name).ifPresent(backend -> override(backend, entry));
    }
    LOG.info("server state from {}: {} added, {} removed, {} with an operator's state or weight", state.file(),
      added.size(), removed.size(), overrides.size());
  }

  private void override(Backend backend, JsonObject entry) {
    JsonObject kept = new JsonObject();
    if (entry.containsKey("state")) {
      Backend.Admin admin = Backend.Admin.valueOf(entry.getString("state").toUpperCase(Locale.ROOT));
      backend.setAdmin(admin, entry.getString("by"));
      kept.put("state", admin.name());
      if (entry.getString("by") != null) {
        kept.put("by", entry.getString("by"));
      }
    }
    if (entry.containsKey("weight") && !entry.getBoolean("added", false)) {
      backend.setWeight(entry.getInteger("weight"));
      kept.put("weight", backend.weight());
    }
    if (!kept.isEmpty()) {
      overrides.put(backend.name(), kept);
    }
  }

  Future<Void> added(String who, BackendSpec spec) {
    removed.remove(spec.name());
    if (!configured(spec.name())) {
      added.add(spec.name());
    }
    AUDIT.info("{} added backend {} (weight {})", who, spec.name(), spec.weight());
    return persist();
  }

  Future<Void> removed(String who, Backend backend) {
    overrides.remove(backend.name());
    if (!added.remove(backend.name())) {
      removed.add(backend.name());
    }
    AUDIT.info("{} removed backend {}", who, backend.name());
    return persist();
  }

  /** {@code by}: who the caller says it is (the admin API's {@code "by"}), or null. */
  Future<Void> changed(String who, String by, Backend backend, Backend.Admin admin, Integer weight) {
    JsonObject kept = overrides.computeIfAbsent(backend.name(), name -> new JsonObject());
    StringBuilder what = new StringBuilder();
    if (admin != null) {
      kept.put("state", admin.name());
      kept.put("by", backend.adminBy());
      what.append("state ").append(admin.name()).append(by == null ? "" : " by " + by);
    }
    if (weight != null) {
      kept.put("weight", weight);
      what.append(what.length() > 0 ? ", " : "").append("weight ").append(weight);
    }
    AUDIT.info("{} set backend {}: {}", who, backend.name(), what);
    return persist();
  }

  /** A reload changed a configured backend: the configuration's word wins over an older operator weight. */
  void configurationChanged(String name) {
    JsonObject kept = overrides.get(name);
    if (kept != null) {
      kept.remove("weight");
    }
  }

  boolean addedByOperator(String name) {
    return added.contains(name);
  }

  boolean removedByOperator(String name) {
    return removed.contains(name);
  }

  private boolean configured(String name) {
    return options.get().backends().stream().anyMatch(spec -> spec.name().equals(name));
  }

  /** The whole state to the file (a no-op without one); fails when it could not be written. */
  Future<Void> persist() {
    JsonArray kept = new JsonArray();
    backends.all().forEach(backend -> {
      boolean byOperator = added.contains(backend.name());
      JsonObject override = overrides.get(backend.name());
      if (byOperator || override != null) {
        JsonObject entry = new JsonObject().put("address", backend.name());
        if (override != null) {
          entry.mergeIn(override);
        }
        if (byOperator) {
          entry.put("added", true).put("weight", backend.weight());
        }
        kept.add(entry);
      }
    });
    JsonObject snapshot = ServerState.empty().put("backends", kept).put("removed", new JsonArray(removed.stream().sorted().toList()));
    return state.save(vertx, snapshot).onFailure(failure -> LOG.error("cannot write the server state file {}: {}",
      state.file(), failure.getMessage()));
  }
}
