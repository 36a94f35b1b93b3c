package com.foobar.platform.app;

import com.foobar.platform.common.HttpStatusException;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The posts table. Every write is one statement on the writer (nothing is ever half-written) and returns the
 * GTID it produced, so the client's next reads can ask for a replica that has it.
 */
final class PostRepository {

  /** A page of posts, newest first, and the cursor of the next page (null on the last). */
  record Page(List<Post> posts, Long next) {
  }

  /** What a write produced, and the token of the transaction that produced it. */
  record Written<T>(T value, ConsistencyToken token) {
  }

  private final Database database;

  PostRepository(Database database) {
    this.database = database;
  }

  Future<Page> list(int limit, Long before, ConsistencyToken token) {
    String sql = "SELECT " + Post.COLUMNS + " FROM posts" + (before == null ? "" : " WHERE id < ?")
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

  Future<Post> find(long id, ConsistencyToken token) {
    return database.read(token, connection -> selectById(connection, id));
  }

  Future<Written<Post>> create(PostInput input) {
    return database.write(connection -> connection
      .preparedQuery("INSERT INTO posts (author, title, body, created_at, updated_at)"
        + " VALUES (?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
      .execute(Tuple.of(input.author(), input.title(), input.body()))
      .compose(inserted -> written(connection, inserted.property(MySQLClient.LAST_INSERTED_ID))));
  }

  Future<Written<Post>> update(long id, PostInput input) {
    return database.write(connection -> connection
      .preparedQuery("UPDATE posts SET author = ?, title = ?, body = ?, updated_at = UTC_TIMESTAMP(3) WHERE id = ?")
      .execute(Tuple.of(input.author(), input.title(), input.body(), id))
      .compose(updated -> written(connection, id)));
  }

  Future<Written<Void>> delete(long id) {
    return database.write(connection -> connection.preparedQuery("DELETE FROM posts WHERE id = ?")
      .execute(Tuple.of(id))
      .compose(deleted -> deleted.rowCount() == 0 ? Future.failedFuture(notFound(id)) : lastGtid(connection))
      .map(token -> new Written<>(null, token)));
  }

  private static Future<Written<Post>> written(SqlConnection connection, long id) {
    return selectById(connection, id)
      .compose(post -> lastGtid(connection).map(token -> new Written<>(post, token)));
  }

  private static Future<ConsistencyToken> lastGtid(SqlConnection connection) {
    return connection.query("SELECT @@last_gtid").execute()
      .map(rows -> ConsistencyToken.of(rows.iterator().next().getString(0)));
  }

  private static Future<Post> selectById(SqlConnection connection, long id) {
    return connection.preparedQuery("SELECT " + Post.COLUMNS + " FROM posts WHERE id = ?").execute(Tuple.of(id))
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(notFound(id))
        : Future.succeededFuture(Post.from(rows.iterator().next())));
  }

  private static HttpStatusException notFound(long id) {
    return HttpStatusException.notFound("no post with id " + id);
  }
}
