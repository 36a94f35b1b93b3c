package com.foobar.platform.app.posts;

import com.foobar.platform.app.db.ConsistencyToken;
import com.foobar.platform.app.db.Database;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The JSON API of the message board under {@code /api/posts}. Creating a post hands its author an edit token,
 * once; changing or deleting it needs that token ({@link EditTokens}). Writes carrying an
 * {@code Idempotency-Key} run at most once ({@link Writes}). The monitor's synthetic probe has posts of its own
 * that no visitor sees ({@link ProbeRequests}). Failures go to the router's failure handler.
 */
public final class PostsApi {

  private final PostRepository posts;
  private final Writes writes;
  private final ProbeRequests probes;

  /** The API over {@code database}, idempotency keys kept as {@code options} say, the probe told by {@code probes}. */
  public PostsApi(Database database, PostsOptions options, ProbeRequests probes) {
    this.posts = new PostRepository(database);
    this.writes = new Writes(database, new IdempotencyStore(options.idempotencyKeyTtlSeconds()));
    this.probes = probes;
  }

  public void mount(Router router, int maxBodySize) {
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(maxBodySize));
    router.get("/api/posts").handler(this::list);
    router.post("/api/posts").handler(this::create);
    router.get("/api/posts/:id").handler(this::get);
    router.put("/api/posts/:id").handler(this::update);
    router.delete("/api/posts/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    PostsRequests.PageQuery page = PostsRequests.page(ctx);
    PostsRequests.respond(ctx, posts.list(page.limit(), page.before(), ConsistencyToken.from(ctx)).map(found -> {
      JsonArray items = new JsonArray();
      found.posts().forEach(post -> items.add(post.toJson()));
      return new JsonObject().put("posts", items)
        .put("next", found.next() == null ? null : found.next().toString());
    }));
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
