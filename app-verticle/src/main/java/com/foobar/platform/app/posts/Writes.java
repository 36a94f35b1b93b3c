package com.foobar.platform.app.posts;

import com.foobar.platform.app.db.ConsistencyToken;
import com.foobar.platform.app.db.Database;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Runs a write of the public API on the writer and hands back its {@link Answer} with the write's consistency
 * token. A request with an {@link IdempotencyKey} runs at most once: its key row, the write and the answer are
 * one transaction ({@link IdempotencyStore}), so after a crash either all three exist or none does, and a
 * repeat gets the stored answer instead of a second write. Only answers of writes that committed are stored:
 * a refused request (403, 404, 400) wrote nothing, so its repeat simply runs again.
 */
final class Writes {

  private final Database database;
  private final IdempotencyStore keys;

  Writes(Database database, IdempotencyStore keys) {
    this.database = database;
    this.keys = keys;
  }

  /**
   * Runs {@code work} once for {@code key} (null: no key, a plain write of autocommit statements). Without a key,
   * {@code @@last_gtid} is asked for right behind the work's first statement, which must be its write: the
   * connection pipelines the two, so the token costs no round trip of its own, and statements the work chains
   * after its write (reads) change no GTID.
   */
  Future<Answer> run(IdempotencyKey key, Buffer fingerprint, Function<SqlConnection, Future<Answer>> work) {
    if (key == null) {
      return database.write(connection -> {
        Future<Answer> answer = work.apply(connection);
        Future<ConsistencyToken> token = lastGtid(connection);
        return Future.join(answer, token).map(both -> answer.result().withToken(token.result()));
      });
    }
    return database.write(connection -> connection.begin()
      .compose(transaction -> once(connection, transaction, key, fingerprint, work)));
  }

  private Future<Answer> once(SqlConnection connection, Transaction transaction, IdempotencyKey key,
                              Buffer fingerprint, Function<SqlConnection, Future<Answer>> work) {
    return keys.claim(connection, key, fingerprint)
      .compose(stored -> stored != null
        ? transaction.commit().map(released -> stored)
        : work.apply(connection)
          .compose(answer -> keys.store(connection, key, answer).compose(recorded -> transaction.commit())
            // After the commit: the GTID is assigned at commit, and @@last_gtid is per session.
            .compose(committed -> lastGtid(connection)).map(answer::withToken)))
      // A failed query has rolled the transaction back already; rolling back again is then refused: ignore it.
      .recover(failure -> transaction.rollback().transform(rolledBack -> Future.failedFuture(failure)));
  }

  /**
   * Prepared (and cached on the connection, {@code cachePreparedStatements}) like every other statement of a
   * request: as a text query MariaDB parsed it anew on every write.
   */
  private static Future<ConsistencyToken> lastGtid(SqlConnection connection) {
    return connection.preparedQuery("SELECT @@last_gtid").execute()
      .map(rows -> ConsistencyToken.of(rows.iterator().next().getString(0)));
  }

  /**
   * What makes two requests "the same" for a key: method, path, the credential presented and the body.
   * Fields are separated by NUL, which none of the first three can contain.
   */
  static Buffer fingerprint(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String credential = EditTokens.presented(request);
    Buffer text = Buffer.buffer().appendString(request.method().name()).appendByte((byte) 0)
      .appendString(request.path()).appendByte((byte) 0)
      .appendString(credential == null ? "" : credential, StandardCharsets.UTF_8.name()).appendByte((byte) 0);
    Buffer body = ctx.body().buffer();
    if (body != null) {
      text.appendBuffer(body);
    }
    return Buffer.buffer(EditTokens.sha256(text.getBytes()));
  }
}
