package com.foobar.platform.app;

import com.foobar.platform.common.DatabaseSecrets;
import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.common.ManagementEndpoints;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.common.TierConfig;
import com.foobar.platform.common.logging.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;


/**
 * One application server of www.foobar.com: the static site (the web server's role) and the message board
 * API, over a MariaDB primary for writes and replicas for reads. Its management port serves
 * {@code /metrics}, {@code /health} and moderation ({@link Moderation}, behind the management token).
 */
public class AppVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AppVerticle.class);
  public static final String ENV_PREFIX = "FOOBAR_APP_";

  private AppOptions options;
  private Database database;
  private HttpServer server;
  private HttpServer managementServer;
  private volatile boolean stopping;
  private ServerAnnouncer announcer;
  private DatabaseDirectory directory;

  @Override
  public Future<?> start() {
    return TierConfig.load(vertx, new AppOptions().toJson(), config(), ENV_PREFIX)
      .map(AppOptions::new)
      .compose(this::startWith);
  }

  private Future<?> startWith(AppOptions appOptions) {
    this.options = appOptions;
    return DatabaseSecrets.read(vertx, appOptions.getPasswordFile(), "passwordFile")
      .map(password -> database = new Database(vertx, appOptions, password, PlatformMetrics.registry()))
      .compose(db -> db.refresh())
      .onSuccess(this::logWriterChange)
      .compose(checked -> appOptions.isMigrate() ? SchemaMigrations.migrate(database) : Future.succeededFuture())
      .onSuccess(migrated -> {
        if (vertx.isClustered() && appOptions.getCluster().isDiscoverReplicas()) {
          directory = new DatabaseDirectory(vertx, database, appOptions.getName());
        }
        scheduleNodeChecks();
        schedulePurges();
      })
      .compose(migrated -> startManagement())
      .compose(management -> startPublic())
      .compose(started -> announce())
      .onSuccess(started -> LOG.info("{} serving on {}:{} (management {}:{}), primary {}, replicas {}",
        options.getName(), options.getHost(), server.actualPort(), options.getManagement().getHost(),
        managementServer.actualPort(), database.writer().address(),
        database.replicas().stream().map(DatabaseNode::address).toList()));
  }

  /** Node checks never overlap: the next is scheduled when the previous one is done. */
  private void scheduleNodeChecks() {
    if (stopping) {
      return;
    }
    vertx.setTimer(options.getNodeCheckInterval(), id -> learnNodes()
      .compose(learned -> database.refresh())
      .onSuccess(this::logWriterChange)
      .onComplete(done -> scheduleNodeChecks()));
  }

  /** Under -cluster, database nodes published in the cluster's directory join first ({@link DatabaseDirectory}). */
  private Future<Void> learnNodes() {
    return directory == null ? Future.succeededFuture() : directory.sync();
  }

  private void logWriterChange(String change) {
    if (change != null) {
      LOG.warn("{}: database {}", options.getName(), change);
    }
  }

  /**
   * Sent with every response of the site. The page loads its script, style and icon from its own origin only
   * (no inline code, so a stored {@code <script>} in a post could not run even if it were ever rendered as
   * HTML); it may not be framed (clickjacking); browsers must not guess content types; other sites get no path
   * in the Referer. HSTS is the balancer's, which knows whether the request came over HTTPS.
   */
  static final java.util.Map<String, String> SECURITY_HEADERS = java.util.Map.of(
    "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options", "nosniff",
    "X-Frame-Options", "DENY",
    "Referrer-Policy", "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy", "same-origin");

  private Future<HttpServer> startPublic() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      // Every log line this request causes names the balancer's id for it (RequestIdFilter).
      String requestId = ctx.request().getHeader(RequestIds.HEADER);
      if (requestId != null) {
        RequestContext.set(requestId);
      }
      ctx.response().putHeader("X-Served-By", options.getName());
      SECURITY_HEADERS.forEach(ctx.response()::putHeader);
      ctx.next();
    });
    router.get("/healthz").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    new PostsApi(new PostRepository(database), new Writes(database,
      new IdempotencyStore(options.getPosts().getIdempotencyKeyTtlSeconds()))).mount(router, options.getMaxBodySize());
    router.route("/api/*").handler(ctx -> ctx.fail(HttpStatusException.notFound("no such API resource")));
    router.route().handler(StaticSite.handler(vertx, options.getWebRoot(), options.getStaticFiles()));
    router.route().failureHandler(ErrorResponses.failureHandler(this::classify));
    router.errorHandler(404, ctx -> ErrorResponses.send(ctx.response(), HttpStatusException.notFound("no such page")));
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()))
      .requestHandler(router)
      .listen()
      .onSuccess(listening -> server = listening);
  }

  /** Domain failures of the posts, then database failures, as HTTP statuses: the public and management ports' one map. */
  private Optional<HttpStatusException> classify(Throwable failure) {
    return PostFailures.classify(failure).or(() -> DatabaseFailures.classify(failure, options.getRetryAfterSeconds()));
  }

  /** Expired idempotency keys go in small batches; purges never overlap, and one that fails waits for the next. */
  private void schedulePurges() {
    if (stopping) {
      return;
    }
    vertx.setTimer(options.getPosts().getIdempotencyPurgeIntervalSeconds() * 1000L, id ->
      IdempotencyStore.purgeExpired(database, options.getPosts().getIdempotencyPurgeBatch())
        .onSuccess(purged -> {
          if (purged > 0) {
            LOG.debug("{}: purged {} expired idempotency keys", options.getName(), purged);
          }
        })
        .onFailure(failure -> LOG.debug("{}: idempotency key purge failed: {}", options.getName(), failure.toString()))
        .onComplete(done -> schedulePurges()));
  }

  private Future<HttpServer> startManagement() {
    ManagementEndpoints management = new ManagementEndpoints(vertx);
    new Moderation(database, new PostRepository(database), this::classify).mount(management.router());
    database.nodes().forEach(node -> register(management, node));
    management.router().get("/database").handler(ctx -> ctx.json(database.describe()));
    management.readiness().register("write-path", promise -> database.writer().ping()
      .map(ok -> Status.OK()).otherwise(failure -> Status.KO()).onComplete(promise));
    management.readiness().register("read-path", promise -> readPath().onComplete(promise));
    return management.listen(vertx, options.getManagement()).onSuccess(listening -> managementServer = listening);
  }

  private void register(ManagementEndpoints management, DatabaseNode node) {
    management.health().register("database/" + node.name(), promise -> node.ping()
      .map(ok -> Status.OK(new JsonObject().put("address", node.address())))
      .otherwise(failure -> Status.KO(new JsonObject().put("address", node.address())
        .put("error", String.valueOf(failure.getMessage()))))
      .onComplete(promise));
  }

  /** Reads can be served while any replica or the writer answers. */
  private Future<Status> readPath() {
    Future<Void> any = database.writer().ping();
    for (DatabaseNode replica : database.replicas()) {
      Future<Void> previous = any;
      any = replica.ping().recover(failure -> previous);
    }
    return any.map(ok -> Status.OK()).otherwise(failure -> Status.KO());
  }

  /** Under {@code -cluster}, makes this server known to balancers ({@link ServerAnnouncer}). */
  private Future<Void> announce() {
    AnnounceOptions cluster = options.getCluster();
    if (!vertx.isClustered() || !cluster.isAnnounce()) {
      return Future.succeededFuture();
    }
    String address = cluster.getAdvertise();
    if (address.isEmpty()) {
      if (options.getHost().equals("0.0.0.0") || options.getHost().equals("::")) {
        return Future.failedFuture(new IllegalArgumentException("host " + options.getHost()
          + " is no address a balancer can reach: set cluster.advertise (FOOBAR_APP_CLUSTER_ADVERTISE=host:port)"));
      }
      address = options.getHost() + ":" + server.actualPort();
    }
    announcer = new ServerAnnouncer(vertx, options.getName(), address, cluster.getAnnounceInterval());
    return announcer.start();
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
    stopping = true;
    Future<Void> withdrawn = announcer == null ? Future.succeededFuture() : announcer.stop();
    return withdrawn
      .eventually(() -> server == null ? Future.succeededFuture()
        : server.shutdown(options.getShutdownTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS))
      .eventually(() -> managementServer == null ? Future.succeededFuture() : managementServer.close())
      .eventually(() -> database == null ? Future.succeededFuture() : database.close());
  }
}
