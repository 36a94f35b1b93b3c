package com.foobar.platform.app.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Creates and migrates the schema on the primary (replicas get it through replication). Two servers starting
 * at once serialise on a named lock, and each migration is recorded, so each runs exactly once.
 */
public final class SchemaMigrations {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);
  private static final String LOCK = "foobar_schema_migrations";

  /** In order; never edit one that has shipped, add a new one. */
  private static final List<String> MIGRATIONS = List.of(
    "CREATE TABLE IF NOT EXISTS posts ("
      + " id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
      + " author VARCHAR(64) NOT NULL,"
      + " title VARCHAR(200) NOT NULL,"
      + " body TEXT NOT NULL,"
      + " created_at DATETIME(3) NOT NULL,"
      + " updated_at DATETIME(3) NOT NULL"
      + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
    // Posts belong to their authors: the SHA-256 of the edit token handed out at creation (never the token);
    // posts written before this migration have none and can be changed only by moderation. A moderator's hide
    // keeps the row but takes it off the public API.
    "ALTER TABLE posts ADD COLUMN edit_token_hash BINARY(32) NULL, ADD COLUMN hidden_at DATETIME(3) NULL",
    // Idempotency keys (IdempotencyStore): the key's hash, the request's fingerprint and the sealed answer,
    // written in the transaction of the write they guard; purged in small batches once expired.
    "CREATE TABLE IF NOT EXISTS idempotency_keys ("
      + " key_hash BINARY(32) NOT NULL PRIMARY KEY,"
      + " request_hash BINARY(32) NOT NULL,"
      + " status SMALLINT UNSIGNED NOT NULL,"
      + " location VARCHAR(255) NULL,"
      + " sealed_body MEDIUMBLOB NULL,"
      + " created_at DATETIME(3) NOT NULL,"
      + " expires_at DATETIME(3) NOT NULL,"
      + " KEY idempotency_keys_expiry (expires_at)"
      + ") ENGINE=InnoDB",
    // The monitor's synthetic probe posts live apart from the visitors' (posts.ProbeRequests): marked here, left
    // out of every public read.
    "ALTER TABLE posts ADD COLUMN probe BOOLEAN NOT NULL DEFAULT FALSE",
    // Probe posts written before the mark (a monitor killed between its write and its delete left them, in public).
    "UPDATE posts SET probe = TRUE WHERE author = 'foobar-monitor' AND title LIKE 'monitor probe %'");

  private SchemaMigrations() {
  }

  public static Future<Void> migrate(Database database) {
    return database.write(connection -> connection
      .query("SELECT GET_LOCK('" + LOCK + "', 30)").execute()
      .compose(locked -> {
        Row row = locked.iterator().next();
        if (row.getInteger(0) == null || row.getInteger(0) != 1) {
          return Future.failedFuture(new IllegalStateException("could not take the schema migration lock"));
        }
        return applyPending(connection)
          .eventually(() -> connection.query("SELECT RELEASE_LOCK('" + LOCK + "')").execute());
      }));
  }

  private static Future<Void> applyPending(SqlConnection connection) {
    return connection.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY,"
        + " applied_at DATETIME(3) NOT NULL) ENGINE=InnoDB").execute()
      .compose(created -> connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").execute())
      .map(rows -> rows.iterator().next().getInteger(0))
      .compose(current -> applyFrom(connection, current));
  }

  private static Future<Void> applyFrom(SqlConnection connection, int current) {
    Future<Void> chain = Future.succeededFuture();
    for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
      int next = version;
      chain = chain
        .compose(done -> connection.query(MIGRATIONS.get(next - 1)).execute())
        .compose(done -> connection.preparedQuery("INSERT INTO schema_migrations VALUES (?, UTC_TIMESTAMP(3))")
          .execute(Tuple.of(next)))
        .onSuccess(done -> LOG.info("Applied schema migration {}", next))
        .mapEmpty();
    }
    return chain;
  }
}
