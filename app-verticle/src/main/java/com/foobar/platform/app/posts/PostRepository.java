package com.foobar.platform.app.posts;

import com.foobar.platform.app.db.ConsistencyToken;
import com.foobar.platform.app.db.Database;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The posts table. Reads of the public API never see hidden posts, nor the synthetic probe's: a probe's request
 * ({@code probe} true) sees its own posts only, every other request the public ones. Each change is one statement on the
 * connection it is given (the writer's, from {@link Writes} or {@link Moderation}), so nothing is ever
 * half-written.
 *
 * <p>An author's change carries its credential into the statement itself ({@code AND edit_token_hash = ?}): a
 * right token costs no round trip beyond the write. Only when no row matched does a second query tell a
 * missing post (404) from a wrong token (403). The comparison runs in MariaDB on SHA-256 digests, not on the
 * token: its timing could at most tell a guesser how many leading bytes of the digest of their guess match the
 * stored digest, and a digest prefix does not help to find a token with that digest (SHA-256 is preimage
 * resistant), so the byte-by-byte timing attack that a plain string comparison of secrets invites has nothing
 * to climb. The row is found by its primary key, never by the digest, so no index lookup leaks either.
 */
final class PostRepository {

  /** A page of posts, newest first, and the cursor of the next page (null on the last). */
  record Page(List<Post> posts, Long next) {
  }

  /** A post as a moderator sees it: with its hidden flag and whether an author can still change it. */
  record Moderated(Post post, boolean hidden, boolean hasEditToken) {
  }

  /** What a visitor's request sees: neither hidden posts nor the synthetic probe's ({@link ProbeRequests}). */
  private static final String PUBLIC = "hidden_at IS NULL AND NOT probe";
  /** What the probe's request sees: its own posts only. */
  private static final String PROBE = "hidden_at IS NULL AND probe";

  private final Database database;

  PostRepository(Database database) {
    this.database = database;
  }

  Future<Page> list(int limit, Long before, ConsistencyToken token) {
    String sql = "SELECT " + Post.COLUMNS + " FROM posts WHERE " + PUBLIC + (before == null ? "" : " AND id < ?")
      + " ORDER BY id DESC LIMIT ?";
    Tuple params = before == null ? Tuple.of(limit + 1) : Tuple.of(before, limit + 1);
    return database.read(token, connection -> connection.preparedQuery(sql).execute(params))
      .map(rows -> page(rows, limit));
  }

  private static Page page(RowSet<Row> rows, int limit) {
    List<Post> posts = new ArrayList<>();
    for (Row row : rows) {
      posts.add(Post.from(row));
    }
    if (posts.size() <= limit) {
      return new Page(posts, null);
    }
    List<Post> shown = posts.subList(0, limit);
    return new Page(new ArrayList<>(shown), shown.get(limit - 1).id());
  }

  Future<Post> find(long id, ConsistencyToken token, boolean probe) {
    return database.read(token, connection -> selectVisible(connection, id, probe));
  }

  /** One round trip: MariaDB's {@code INSERT ... RETURNING} hands back the row as written. */
  Future<Post> insert(SqlConnection connection, PostInput input, Buffer editTokenHash, boolean probe) {
    return connection
      .preparedQuery("INSERT INTO posts (author, title, body, edit_token_hash, probe, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)) RETURNING " + Post.COLUMNS)
      .execute(Tuple.of(input.author(), input.title(), input.body(), editTokenHash, probe))
      .map(rows -> Post.from(rows.iterator().next()));
  }

  private static String visible(boolean probe) {
    return probe ? PROBE : PUBLIC;
  }

  /** The author's edit: the digest of the token they presented (null: none presented) must match. */
  Future<Post> updateAsAuthor(SqlConnection connection, long id, PostInput input, Buffer presentedHash,
                              boolean probe) {
    if (presentedHash == null) {
      return refusal(connection, id, false, probe);
    }
    return connection.preparedQuery("UPDATE posts SET author = ?, title = ?, body = ?, updated_at = UTC_TIMESTAMP(3)"
        + " WHERE id = ? AND " + visible(probe) + " AND edit_token_hash = ?")
      .execute(Tuple.of(input.author(), input.title(), input.body(), id, presentedHash))
      .compose(updated -> updated.rowCount() == 0 ? refusal(connection, id, true, probe)
        : selectVisible(connection, id, probe));
  }

  Future<Void> deleteAsAuthor(SqlConnection connection, long id, Buffer presentedHash, boolean probe) {
    if (presentedHash == null) {
      return refusal(connection, id, false, probe);
    }
    return connection.preparedQuery("DELETE FROM posts WHERE id = ? AND " + visible(probe)
        + " AND edit_token_hash = ?")
      .execute(Tuple.of(id, presentedHash))
      .compose(deleted -> deleted.rowCount() == 0 ? refusal(connection, id, true, probe) : Future.succeededFuture());
  }

  /** No row matched an author's change: {@link PostNotFound} when the request sees none, else EditTokenRefused. */
  private static <T> Future<T> refusal(SqlConnection connection, long id, boolean presented, boolean probe) {
    return connection.preparedQuery("SELECT 1 FROM posts WHERE id = ? AND " + visible(probe)).execute(Tuple.of(id))
      .compose(rows -> Future.failedFuture(rows.size() == 0 ? new PostNotFound(id)
        : new EditTokenRefused(id, presented)));
  }

  Future<Moderated> findAny(SqlConnection connection, long id) {
    return connection.preparedQuery("SELECT " + Post.COLUMNS + ", hidden_at IS NOT NULL AS hidden,"
        + " edit_token_hash IS NOT NULL AS owned FROM posts WHERE id = ?").execute(Tuple.of(id))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(new PostNotFound(id))
        : Future.succeededFuture(moderated(rows.iterator().next())));
  }

  /** Every post, hidden ones included, newest first, for the moderation API. */
  Future<List<Moderated>> listAny(SqlConnection connection, int limit, Long before) {
    String sql = "SELECT " + Post.COLUMNS + ", hidden_at IS NOT NULL AS hidden, edit_token_hash IS NOT NULL AS owned"
      + " FROM posts" + (before == null ? "" : " WHERE id < ?") + " ORDER BY id DESC LIMIT ?";
    return connection.preparedQuery(sql).execute(before == null ? Tuple.of(limit) : Tuple.of(before, limit))
      .map(rows -> {
        List<Moderated> posts = new ArrayList<>();
        rows.forEach(row -> posts.add(moderated(row)));
        return posts;
      });
  }

  private static Moderated moderated(Row row) {
    return new Moderated(Post.from(row), row.getInteger("hidden") == 1, row.getInteger("owned") == 1);
  }

  /** Hides a post from the public API, or shows it again; the row and its edit token stay. */
  Future<Moderated> setHidden(SqlConnection connection, long id, boolean hidden) {
    return connection.preparedQuery("UPDATE posts SET hidden_at = "
        + (hidden ? "COALESCE(hidden_at, UTC_TIMESTAMP(3))" : "NULL") + " WHERE id = ?").execute(Tuple.of(id))
      .compose(updated -> findAny(connection, id));
  }

  Future<Void> deleteAny(SqlConnection connection, long id) {
    return connection.preparedQuery("DELETE FROM posts WHERE id = ?").execute(Tuple.of(id))
      .compose(deleted -> deleted.rowCount() == 0 ? Future.failedFuture(new PostNotFound(id))
        : Future.succeededFuture());
  }

  private static Future<Post> selectVisible(SqlClient connection, long id, boolean probe) {
    return connection.preparedQuery("SELECT " + Post.COLUMNS + " FROM posts WHERE id = ? AND " + visible(probe))
      .execute(Tuple.of(id))
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(new PostNotFound(id))
        : Future.succeededFuture(Post.from(rows.iterator().next())));
  }
}
