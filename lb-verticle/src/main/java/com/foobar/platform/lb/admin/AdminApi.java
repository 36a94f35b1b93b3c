package com.foobar.platform.lb.admin;

import com.foobar.platform.common.Options;
import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.lb.LbError;
import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.backend.Backend;
import com.foobar.platform.lb.backend.BackendSpec;
import com.foobar.platform.lb.backend.Backends;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin API on the management port (loopback by default, never the public port), HAProxy's runtime API
 * in JSON:
 * <ul>
 *   <li>{@code GET /admin/backends}: every backend with state, check result and counters;</li>
 *   <li>{@code GET /admin/backends/{host:port}}: one;</li>
 *   <li>{@code POST /admin/backends} {@code {"address":"h:p","weight":1}}: add one (201; 409 if it exists);</li>
 *   <li>{@code PUT /admin/backends/{host:port}} {@code {"state":"drain"|"maint"|"ready","weight":n,"by":"who"}}:
 *   change it; {@code by} (optional) names who is doing it, shown with DRAIN/MAINT as {@code adminBy} (the
 *   monitor reports such a backend's server as in maintenance, not down);</li>
 *   <li>{@code DELETE /admin/backends/{host:port}}: remove it (in-flight requests finish);</li>
 *   <li>{@code POST /admin/reload}: re-read the configuration and apply it ({@link ConfigReload}); 200 with what
 *   changed, or 400 naming what is wrong (the old configuration keeps serving).</li>
 * </ul>
 * Bad input is a 400 with a JSON body naming the field; an unknown backend a 404. Every change is audited and kept
 * in the server-state file ({@link AdminChanges}) before it is answered. While this process hands over to a new
 * one (a restart: {@code draining} says so), changes are refused with a 503, since the new process already read the
 * state file.
 */
public record AdminApi(Backends backends, AdminChanges changes, ConfigReload reload,
                       Supplier<LoadBalancerOptions> options, BooleanSupplier draining) {

  private static final Set<String> PUT_KEYS = Set.of("state", "weight", "by");
  /** What {@code "by"} may hold: a short printable text (it is shown on status pages and in the audit log). */
  private static final Pattern BY = Pattern.compile("[\\p{Print}&&[^<>\"]]{1,200}");

  public void mount(Router router) {
    router.route("/admin/*").handler(BodyHandler.create().setBodyLimit(16 * 1024));
    router.get("/admin/backends").handler(this::list);
    router.post("/admin/backends").handler(this::add);
    router.get("/admin/backends/:name").handler(ctx -> ctx.json(backend(ctx).toJson()));
    router.put("/admin/backends/:name").handler(this::change);
    router.delete("/admin/backends/:name").handler(this::remove);
    router.post("/admin/reload").handler(this::reload);
  }

  /** Who made a change, for the audit log: the token's id and the caller's address. */
  static String who(RoutingContext ctx) {
    String from = ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
    return "token=" + ManagementToken.idOfHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)) + " from=" + from;
  }

  private void refuseWhileDraining() {
    if (draining.getAsBoolean()) {
      throw LbError.DRAINING.error("this balancer is handing over to a new process; retry to reach it", 1);
    }
  }

  private void reload(RoutingContext ctx) {
    refuseWhileDraining();
    reload.run(who(ctx)).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      JsonObject result = done.result();
      ctx.response().setStatusCode(result.getBoolean("ok") ? 200 : 400);
      ctx.json(result);
    });
  }

  private void list(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    backends.all().forEach(backend -> list.add(backend.toJson()));
    ctx.json(new JsonObject().put("balance", options.get().balance()).put("backends", list));
  }

  private void add(RoutingContext ctx) {
    refuseWhileDraining();
    BackendSpec spec;
    try {
      spec = BackendSpec.parse(body(ctx));
    } catch (IllegalArgumentException e) {
      throw LbError.VALIDATION_FAILED.error("address", e.getMessage());
    }
    if (!backends.add(spec)) {
      throw LbError.CONFLICT.error("address", "backend " + spec.name() + " exists");
    }
    changes.added(who(ctx), spec).onComplete(saved -> answer(ctx, saved, () -> {
      ctx.response().setStatusCode(201);
      ctx.json(backends.find(spec.name()).map(Backend::toJson).orElseThrow());
    }));
  }

  private void change(RoutingContext ctx) {
    refuseWhileDraining();
    Backend backend = backend(ctx);
    JsonObject body = body(ctx);
    Backend.Admin state = null;
    Integer weight = null;
    String by = by(body);
    try {
      Options.requireKnownKeys(body, PUT_KEYS, "backend change");
      if (body.containsKey("state")) {
        state = Backend.Admin.valueOf(String.valueOf(body.getValue("state")).toUpperCase(Locale.ROOT));
      }
      if (body.containsKey("weight")) {
        Object value = body.getValue("weight");
        if (!(value instanceof Integer)) {
          throw new IllegalArgumentException("weight must be an integer");
        }
        weight = Options.requireRange("weight", (Integer) value, 1, BackendSpec.MAX_WEIGHT);
      }
    } catch (IllegalArgumentException e) {
      String field = body.containsKey("state") && state == null ? "state" : "weight";
      throw LbError.VALIDATION_FAILED.error(field, e.getMessage().startsWith("No enum")
        ? "state must be one of ready, drain, maint" : e.getMessage());
    }
    if (state == null && weight == null) {
      throw LbError.VALIDATION_FAILED.error("state", "send {\"state\": \"ready\"|\"drain\"|\"maint\"} and/or {\"weight\": n}");
    }
    if (state != null) {
      backend.setAdmin(state, by == null ? who(ctx) : by + " (" + who(ctx) + ")");
    }
    if (weight != null) {
      backend.setWeight(weight);
    }
    changes.changed(who(ctx), by, backend, state, weight)
      .onComplete(saved -> answer(ctx, saved, () -> ctx.json(backend.toJson())));
  }

  /** Who the caller says started the change ({@code "by"}: "./foobar restart app-1 (root@web-1)"), or null. */
  private static String by(JsonObject body) {
    Object by = body.getValue("by");
    if (by == null) {
      return null;
    }
    if (!(by instanceof String text) || !BY.matcher(text).matches()) {
      throw LbError.VALIDATION_FAILED.error("by", "by must be 1 to 200 printable characters without <, > or \"");
    }
    return text;
  }

  /** Answers once the change is on disk; a change that could not be kept is applied but said so (500). */
  private static void answer(RoutingContext ctx, io.vertx.core.AsyncResult<Void> saved, Runnable ok) {
    if (saved.succeeded()) {
      ok.run();
    } else {
      ctx.fail(LbError.STATE_NOT_SAVED.error("the change is applied but could not be saved in the server state "
        + "file, so a restart would lose it: " + saved.cause().getMessage()));
    }
  }

  private void remove(RoutingContext ctx) {
    refuseWhileDraining();
    Backend backend = backend(ctx);
    backends.remove(backend);
    changes.removed(who(ctx), backend)
      .onComplete(saved -> answer(ctx, saved, () -> ctx.json(new JsonObject().put("removed", backend.name()))));
  }

  private Backend backend(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    return backends.find(name).orElseThrow(() -> LbError.NOT_FOUND.error("no backend " + name));
  }

  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body().isEmpty()) {
      throw LbError.VALIDATION_FAILED.error("body", "send a JSON object");
    }
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw LbError.INVALID_JSON.error();
    }
  }
}
