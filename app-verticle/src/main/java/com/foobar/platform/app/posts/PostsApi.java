package com.foobar.platform.app.posts;

import com.foobar.platform.app.db.ConsistencyToken;
import com.foobar.platform.app.db.Database;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.function.Supplier;

/**
 * The JSON API of the message board under {@code /api/posts}. Creating a post hands its author an edit token,
 * once; changing or deleting it needs that token ({@link EditTokens}). Writes carrying an
 * {@code Idempotency-Key} run at most once ({@link Writes}). The monitor's synthetic probe has posts of its own
 * that no visitor sees ({@link ProbeRequests}). Failures go to the router's failure handler.
 */
public final class PostsApi {

  /** Pages of the listing kept at most ({@link ListingCache}). */
  static final int LISTING_CACHE_PAGES = 256;

  private final PostRepository posts;
  private final Writes writes;
  private final ProbeRequests probes;
  private final ListingCache listings;

  /** The API over {@code database}, idempotency keys kept as {@code options} say, the probe told by {@code probes}. */
  public PostsApi(Database database, PostsOptions options, ProbeRequests probes) {
    this.posts = new PostRepository(database);
    this.writes = new Writes(database, new IdempotencyStore(options.idempotencyKeyTtlSeconds()));
    this.probes = probes;
    this.listings = new ListingCache(options.listingCacheMs(), LISTING_CACHE_PAGES);
  }

  public void mount(Router router, int maxBodySize) {
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(maxBodySize));
    router.get("/api/posts").handler(this::list);
    router.post("/api/posts").handler(this::create);
    router.get("/api/posts/:id").handler(this::get);
    router.put("/api/posts/:id").handler(this::update);
    router.delete("/api/posts/:id").handler(this::delete);
  }

  /** A page of the listing; without a consistency token from the {@link ListingCache}. */
  private void list(RoutingContext ctx) {
    PostsRequests.PageQuery page = PostsRequests.page(ctx);
    ConsistencyToken token = ConsistencyToken.from(ctx);
    Supplier<Future<Buffer>> load = () -> posts.list(page.limit(), page.before(), token).map(PostsApi::listing);
    Future<Buffer> body = token == null ? listings.page(page.limit() + "/" + page.before(), load) : load.get();
    body.onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(done.result());
      } else {
        ctx.fail(done.cause());
      }
    });
  }

  private static Buffer listing(PostRepository.Page found) {
    JsonArray items = new JsonArray();
    found.posts().forEach(post -> items.add(post.toJson()));
    return Json.encodeToBuffer(new JsonObject().put("posts", items)
      .put("next", found.next() == null ? null : found.next().toString()));
  }

  private void get(RoutingContext ctx) {
    long id = PostsRequests.id(ctx);
    boolean probe = probes.isProbe(ctx.request());
    PostsRequests.respond(ctx, posts.find(id, ConsistencyToken.from(ctx), probe).map(Post::toJson));
  }

  /** 201 with the post, its {@code Location} and its edit token: the only time the token is ever sent. */
  private void create(RoutingContext ctx) {
    PostInput input = PostInput.from(PostsRequests.jsonBody(ctx));
    IdempotencyKey key = IdempotencyKey.from(ctx);
    boolean probe = probes.isProbe(ctx.request());
    String token = EditTokens.generate();
    Buffer hash = EditTokens.hashOf(token);
    send(ctx, writes.run(key, key == null ? null : Writes.fingerprint(ctx), connection -> posts
      .insert(connection, input, hash, probe)
      .map(post -> Answer.created(post.toJson().put("editToken", token), "/api/posts/" + post.id()))));
  }

  private void update(RoutingContext ctx) {
    long id = PostsRequests.id(ctx);
    PostInput input = PostInput.from(PostsRequests.jsonBody(ctx));
    IdempotencyKey key = IdempotencyKey.from(ctx);
    Buffer presented = EditTokens.hashOf(EditTokens.presented(ctx.request()));
    boolean probe = probes.isProbe(ctx.request());
    send(ctx, writes.run(key, key == null ? null : Writes.fingerprint(ctx), connection -> posts
      .updateAsAuthor(connection, id, input, presented, probe).map(post -> Answer.ok(post.toJson()))));
  }

  private void delete(RoutingContext ctx) {
    long id = PostsRequests.id(ctx);
    IdempotencyKey key = IdempotencyKey.from(ctx);
    Buffer presented = EditTokens.hashOf(EditTokens.presented(ctx.request()));
    boolean probe = probes.isProbe(ctx.request());
    send(ctx, writes.run(key, key == null ? null : Writes.fingerprint(ctx), connection -> posts
        .deleteAsAuthor(connection, id, presented, probe).map(deleted -> Answer.noContent()))
      .onComplete(done -> Audit.delete(ctx, id, done.succeeded()
        ? (done.result().replayed() ? "delete replayed for its author" : "deleted by its author")
        : "delete refused: " + done.cause().getMessage())));
  }

  private static void send(RoutingContext ctx, Future<Answer> answer) {
    answer.onComplete(done -> {
      if (done.succeeded()) {
        done.result().send(ctx);
      } else {
        ctx.fail(done.cause());
      }
    });
  }
}
