package com.foobar.platform.app;

import com.foobar.platform.app.cluster.ServerAnnouncer;
import com.foobar.platform.app.db.Database;
import com.foobar.platform.app.db.DatabaseHealth;
import com.foobar.platform.app.db.NodeChecks;
import com.foobar.platform.app.db.SchemaMigrations;
import com.foobar.platform.app.posts.IdempotencyPurges;
import com.foobar.platform.app.posts.Moderation;
import com.foobar.platform.app.posts.PostsApi;
import com.foobar.platform.app.posts.ProbeRequests;
import com.foobar.platform.app.web.SiteHeaders;
import com.foobar.platform.app.web.StaticSite;
import com.foobar.platform.common.DatabaseSecrets;
import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.common.ManagementEndpoints;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.common.launch.TierVerticle;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One application server of www.foobar.com: the static site (the web server's role, {@code web}) and the message
 * board API ({@code posts}), over a MariaDB writer and replicas ({@code db}). Its management port serves
 * {@code /metrics}, {@code /health}, {@code /database} and moderation (behind the management token). Under
 * {@code -cluster} it announces itself to the balancers ({@code cluster}).
 */
public class AppVerticle extends TierVerticle<AppOptions> {

  private static final Logger LOG = LoggerFactory.getLogger(AppVerticle.class);
  public static final String ENV_PREFIX = "FOOBAR_APP_";

  private AppOptions options;
  private AppErrors errors;
  private Database database;
  private NodeChecks nodeChecks;
  private IdempotencyPurges purges;
  private HttpServer server;
  private HttpServer managementServer;
  private ServerAnnouncer announcer;
  private volatile boolean warm;

  public AppVerticle() {
    super(AppOptions.SCHEMA, ENV_PREFIX, AppOptions::new);
  }

  @Override
  protected Future<?> startWith(AppOptions appOptions) {
    this.options = appOptions;
    this.errors = new AppErrors(appOptions.retryAfterSeconds());
    return DatabaseSecrets.read(vertx, appOptions.passwordFile(), "passwordFile")
      .map(password -> database = new Database(vertx, appOptions, password, PlatformMetrics.registry()))
      .map(db -> nodeChecks = new NodeChecks(vertx, db, appOptions.name(), appOptions.nodeCheckIntervalMs(),
        vertx.isClustered() && appOptions.cluster().discoverReplicas()))
      .compose(checks -> checks.checkNow())
      .compose(checked -> appOptions.migrate() ? SchemaMigrations.migrate(database) : Future.succeededFuture())
      .onSuccess(migrated -> startBackgroundWork())
      .compose(migrated -> startManagement())
      .compose(management -> startPublic())
      .compose(started -> WarmUp.run(vertx, server.actualPort(), options.warmUpMs()))
      .onSuccess(warmedUp -> warm = true)
      .compose(started -> announce())
      .onSuccess(started -> LOG.info("{} serving on {}:{} (management {}:{}), database {}", options.name(),
        options.host(), server.actualPort(), options.management().getHost(), managementServer.actualPort(),
        database.summary()));
  }

  private void startBackgroundWork() {
    nodeChecks.start();
    purges = new IdempotencyPurges(vertx, database, options.posts(), options.name());
    purges.start();
  }

  private Future<HttpServer> startPublic() {
    Router router = Router.router(vertx);
    router.route().handler(new SiteHeaders(options.name()));
    // Down until warmed up: a balancer's health check must not send visitors to a cold server.
    router.get("/healthz").handler(ctx -> {
      if (!warm) {
        ctx.response().setStatusCode(503).putHeader(HttpHeaders.RETRY_AFTER, "1");
      }
      ctx.json(new JsonObject().put("status", warm ? "UP" : "WARMING_UP"));
    });
    new PostsApi(database, options.posts(), new ProbeRequests(ManagementToken.configured()))
      .mount(router, options.maxBodySize());
    router.route("/api/*").handler(ctx -> ctx.fail(AppError.NOT_FOUND.answer("no such API resource")));
    router.route().handler(StaticSite.handler(vertx, options.webRoot(), options.staticFiles()));
    router.route().failureHandler(ErrorResponses.failureHandler(errors::classify));
    router.errorHandler(404, ctx -> ErrorResponses.send(ctx.response(), AppError.NOT_FOUND.answer("no such page")));
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port()))
      .requestHandler(router)
      .listen()
      .onSuccess(listening -> server = listening);
  }

  private Future<HttpServer> startManagement() {
    ManagementEndpoints management = new ManagementEndpoints(vertx);
    Moderation.create(database, errors::classify).mount(management.router());
    DatabaseHealth.register(management, database);
    management.readiness().register("warm-up", promise -> promise.complete(warm ? Status.OK() : Status.KO()));
    return management.listen(vertx, options.management()).onSuccess(listening -> managementServer = listening);
  }

  /** Under {@code -cluster}, makes this server known to balancers ({@link ServerAnnouncer}). */
  private Future<Void> announce() {
    if (!vertx.isClustered() || !options.cluster().announce()) {
      return Future.succeededFuture();
    }
    return ServerAnnouncer.address(options.cluster(), options.host(), server.actualPort())
      .compose(address -> {
        announcer = new ServerAnnouncer(vertx, options.name(), address, options.cluster().announceIntervalMs());
        return announcer.start();
      });
  }

  /** The port the public server listens on (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  public int managementPort() {
    return managementServer.actualPort();
  }

  /**
   * Graceful: withdrawn from the cluster, then the public server stops accepting and its in-flight requests get
   * {@code shutdownTimeoutMs} to finish, and only then the database pools close, so no request that was accepted
   * loses its database half-way. (A balancer drains the server first: {@code ./foobar restart app-1}.)
   */
  @Override
  public Future<?> stop() {
    if (nodeChecks != null) {
      nodeChecks.stop();
    }
    if (purges != null) {
      purges.stop();
    }
    Future<Void> withdrawn = announcer == null ? Future.succeededFuture() : announcer.stop();
    return withdrawn
      .eventually(() -> server == null ? Future.succeededFuture()
        : server.shutdown(options.shutdownTimeoutMs(), TimeUnit.MILLISECONDS))
      .eventually(() -> managementServer == null ? Future.succeededFuture() : managementServer.close())
      .eventually(() -> database == null ? Future.succeededFuture() : database.close());
  }
}
