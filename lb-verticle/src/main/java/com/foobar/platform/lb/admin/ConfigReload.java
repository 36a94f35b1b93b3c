package com.foobar.platform.lb.admin;

import com.foobar.platform.common.TierConfig;
import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.common.launch.LaunchConfig;
import com.foobar.platform.lb.LbError;
import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.LoadBalancerTier;
import com.foobar.platform.lb.LoadBalancerVerticle;
import com.foobar.platform.lb.ReloadPlan;
import com.foobar.platform.lb.backend.BackendSpec;
import com.foobar.platform.lb.backend.Backends;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Re-reads the configuration the balancer was started with (the {@code -conf} file as it is now, with the same
 * environment overrides, {@link LaunchConfig}) and applies it without a restart: on {@code POST /admin/reload},
 * on SIGHUP, or {@code ./foobar reload lb}. The new file is validated whole first, by the same declarations and
 * checks as a start ({@link LoadBalancerTier#problems}: every key, the firewall's addresses, the TLS files); an
 * invalid one is refused with what is wrong and the running configuration stays. What is applied live and what
 * needs a restart is {@link ReloadPlan}'s to say. No connection is dropped.
 */
public final class ConfigReload {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

  private final Vertx vertx;
  private final Backends backends;
  private final AdminChanges changes;
  private final Supplier<LoadBalancerOptions> current;
  /** Applies the live part of a new configuration to the running balancer (checks, limits, firewall). */
  private final Consumer<LoadBalancerOptions> apply;
  private final JsonObject deploymentConfig;
  /** The verticle instances' TLS servers, told of new certificates on their own context. */
  private final List<Consumer<LoadBalancerOptions>> tlsListeners = new CopyOnWriteArrayList<>();
  private boolean running;

  public ConfigReload(Vertx vertx, Backends backends, AdminChanges changes, Supplier<LoadBalancerOptions> current,
                      Consumer<LoadBalancerOptions> apply, JsonObject deploymentConfig) {
    this.vertx = vertx;
    this.backends = backends;
    this.changes = changes;
    this.current = current;
    this.apply = apply;
    this.deploymentConfig = deploymentConfig == null ? new JsonObject() : deploymentConfig.copy();
  }

  public void onTlsChange(Consumer<LoadBalancerOptions> listener) {
    tlsListeners.add(listener);
  }

  /** SIGHUP reloads (only in a process started by the jar's main class: the JVM has one handler per signal). */
  @SuppressWarnings("removal")
  public void onSignal() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> vertx.runOnContext(v -> run("signal=SIGHUP")));
    } catch (IllegalArgumentException e) {
      LOG.warn("SIGHUP cannot be handled in this JVM ({}): reload with POST /admin/reload", e.getMessage());
    }
  }

  public void close() {
    tlsListeners.clear();
  }

  /**
   * Reads, validates and applies; the result says {@code ok}, the file, what was applied and what needs a restart,
   * or the error. Never fails the future for a bad file: that is an answer, not a crash.
   */
  public Future<JsonObject> run(String who) {
    String file = LaunchConfig.describe();
    if (running) {
      return Future.succeededFuture(refused(who, file, "another reload is running"));
    }
    running = true;
    LoadBalancerOptions before = current.get();
    return vertx.executeBlocking(() -> LaunchConfig.read(deploymentConfig))
      .compose(json -> TierConfig.load(vertx, LoadBalancerOptions.SCHEMA, json, LoadBalancerVerticle.ENV_PREFIX))
      .map(settings -> valid(new LoadBalancerOptions(settings)))
      .map(next -> apply(who, file, ReloadPlan.of(before, next), before))
      .recover(failure -> Future.succeededFuture(refused(who, file, message(failure))))
      .andThen(done -> running = false);
  }

  private LoadBalancerOptions valid(LoadBalancerOptions next) {
    List<String> problems = LoadBalancerTier.problems(next, vertx.isClustered());
    if (!problems.isEmpty()) {
      throw new ConfigException(LoadBalancerOptions.SCHEMA.what(), problems);
    }
    return next;
  }

  private JsonObject apply(String who, String file, ReloadPlan plan, LoadBalancerOptions before) {
    LoadBalancerOptions live = plan.effective();
    JsonObject changed = applyBackends(before, live);
    apply.accept(live);
    if (plan.certificatesChanged()) {
      tlsListeners.forEach(listener -> listener.accept(live));
    }
    if (!changed.getJsonArray("added").isEmpty() || !changed.getJsonArray("removed").isEmpty()
      || !changed.getJsonArray("reweighted").isEmpty()) {
      changes.persist();
    }
    AdminChanges.AUDIT.info("{} reloaded {}: applied {} {}, needs restart {}", who, file, plan.applied(),
      changed.encode(), plan.needsRestart());
    if (!plan.needsRestart().isEmpty()) {
      LOG.warn("reload of {}: {} changed but take effect only at a restart (./foobar restart lb)", file,
        plan.needsRestart());
    }
    return new JsonObject().put("ok", true).put("file", file).put("applied", new JsonArray(plan.applied()))
      .put("backends", changed).put("needsRestart", new JsonArray(plan.needsRestart()));
  }

  /** The configured backends' changes, minus what an operator decided otherwise (an operator's removal stands). */
  private JsonObject applyBackends(LoadBalancerOptions before, LoadBalancerOptions next) {
    Map<String, BackendSpec> was = byName(before.backends());
    Map<String, BackendSpec> now = byName(next.backends());
    JsonArray added = new JsonArray();
    JsonArray removed = new JsonArray();
    JsonArray reweighted = new JsonArray();
    now.forEach((name, spec) -> {
      BackendSpec old = was.get(name);
      if (old == null && !changes.removedByOperator(name) && backends.add(spec)) {
        added.add(name);
      } else if (old != null && old.weight() != spec.weight()) {
        backends.find(name).ifPresent(backend -> {
          backend.setWeight(spec.weight());
          changes.configurationChanged(name);
          reweighted.add(name);
        });
      }
    });
    was.keySet().stream().filter(name -> !now.containsKey(name) && !changes.addedByOperator(name))
      .forEach(name -> backends.find(name).ifPresent(backend -> {
        backends.remove(backend);
        removed.add(name);
      }));
    return new JsonObject().put("added", added).put("removed", removed).put("reweighted", reweighted);
  }

  private static Map<String, BackendSpec> byName(List<BackendSpec> specs) {
    return specs.stream().collect(Collectors.toMap(BackendSpec::name, spec -> spec, (a, b) -> a));
  }

  private static JsonObject refused(String who, String file, String error) {
    LOG.error("reload of {} refused, the running configuration stays: {}", file, error);
    AdminChanges.AUDIT.info("{} reload of {} refused: {}", who, file, error);
    return new JsonObject().put("ok", false).put("file", file).put("error", LbError.INVALID_CONFIGURATION.code())
      .put("message", error);
  }

  private static String message(Throwable failure) {
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }
}
