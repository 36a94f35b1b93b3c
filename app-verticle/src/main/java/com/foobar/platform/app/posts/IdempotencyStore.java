package com.foobar.platform.app.posts;

import com.foobar.platform.app.db.ConsistencyToken;
import com.foobar.platform.app.db.Database;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;

/**
 * The {@code idempotency_keys} table. Every statement here runs inside the transaction of the write the key
 * guards ({@link Writes}), on the writer.
 *
 * <p>{@link #claim} inserts the key's row first. InnoDB's unique check makes a second transaction inserting the
 * same key wait until the first one commits or rolls back: a concurrent duplicate therefore waits for the first
 * request, then finds its committed answer, and never writes a second time. {@code INSERT IGNORE} turns the
 * duplicate into "0 rows" rather than an error, so the transaction stays usable; the row is then read with a
 * shared lock (the latest committed version, compatible with other waiters: no deadlock among duplicates).
 */
final class IdempotencyStore {

  /** Status of a claimed row whose write has not finished; never committed (the answer replaces it first). */
  private static final int PENDING = 0;
  /** Statements of one purge at most; a backlog larger than this many batches is worked off over several purges. */
  static final int MAX_BATCHES = 20;

  private final int ttlSeconds;

  IdempotencyStore(int ttlSeconds) {
    this.ttlSeconds = ttlSeconds;
  }

  /**
   * Takes the key for this request: null when this request is to run the write, else the answer stored by the
   * earlier request with the same key. Fails with {@link IdempotencyKeyReused} when the key was used for a
   * different request. An expired row is taken over as if it were absent.
   */
  Future<Answer> claim(SqlConnection connection, IdempotencyKey key, Buffer fingerprint) {
    Buffer id = key.id();
    return connection.preparedQuery("INSERT IGNORE INTO idempotency_keys (key_hash, request_hash, status, created_at,"
        + " expires_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL ? SECOND)")
      .execute(Tuple.of(id, fingerprint, PENDING, ttlSeconds))
      .compose(inserted -> inserted.rowCount() == 1 ? Future.succeededFuture()
        : connection.preparedQuery("SELECT request_hash, status, location, sealed_body,"
            + " expires_at < UTC_TIMESTAMP(3) AS expired, @@gtid_domain_id AS domain, @@gtid_binlog_pos AS position"
            + " FROM idempotency_keys WHERE key_hash = ? LOCK IN SHARE MODE").execute(Tuple.of(id))
          .compose(rows -> rows.size() == 0 ? Future.failedFuture(new IdempotencyKeyBusy())
            : stored(connection, key, fingerprint, rows.iterator().next())));
  }

  private Future<Answer> stored(SqlConnection connection, IdempotencyKey key, Buffer fingerprint, Row row) {
    if (row.getInteger("expired") == 1) {
      return connection.preparedQuery("UPDATE idempotency_keys SET request_hash = ?, status = ?, location = NULL,"
          + " sealed_body = NULL, created_at = UTC_TIMESTAMP(3), expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND"
          + " WHERE key_hash = ?")
        .execute(Tuple.of(fingerprint, PENDING, ttlSeconds, key.id()))
        .map(taken -> null);
    }
    if (!fingerprint.equals(row.getBuffer("request_hash"))) {
      return Future.failedFuture(new IdempotencyKeyReused());
    }
    if (row.getInteger("status") == PENDING) {
      return Future.failedFuture(new IdempotencyKeyBusy());
    }
    Buffer sealed = row.getBuffer("sealed_body");
    JsonObject body = sealed == null ? null
      : new JsonObject(new String(key.open(sealed.getBytes()), StandardCharsets.UTF_8));
    // The write's own GTID was assigned at its commit, after this row was written. The writer's position now
    // contains that transaction, so a read waiting for it sees the write too (and perhaps a little more).
    return Future.succeededFuture(new Answer(row.getInteger("status"), body, row.getString("location"),
      positionIn(row.getLong("domain"), row.getString("position")), true));
  }

  /** Records the answer of the write this request ran, before its transaction commits. */
  Future<Void> store(SqlConnection connection, IdempotencyKey key, Answer answer) {
    Buffer sealed = answer.body() == null ? null : Buffer.buffer(key.seal(answer.body().encode()
      .getBytes(StandardCharsets.UTF_8)));
    return connection.preparedQuery("UPDATE idempotency_keys SET status = ?, location = ?, sealed_body = ?"
        + " WHERE key_hash = ?")
      .execute(Tuple.of(answer.status(), answer.location(), sealed, key.id()))
      .mapEmpty();
  }

  /**
   * Deletes expired keys in statements of at most {@code batch} rows, each its own autocommit write (so a purge
   * never holds many locks or makes one large binlog event), up to {@value #MAX_BATCHES} of them; returns how
   * many rows went. Whatever is left waits for the next purge.
   */
  static Future<Integer> purgeExpired(Database database, int batch) {
    return purgeExpired(database, batch, MAX_BATCHES, 0);
  }

  private static Future<Integer> purgeExpired(Database database, int batch, int batchesLeft, int purged) {
    return database.write(connection -> connection
        .preparedQuery("DELETE FROM idempotency_keys WHERE expires_at < UTC_TIMESTAMP(3) LIMIT ?")
        .execute(Tuple.of(batch)))
      .compose(deleted -> deleted.rowCount() == batch && batchesLeft > 1
        ? purgeExpired(database, batch, batchesLeft - 1, purged + deleted.rowCount())
        : Future.succeededFuture(purged + deleted.rowCount()));
  }

  /** The GTID of {@code domain} in a position list ({@code 0-1-42,1-2-7}), or null. */
  static ConsistencyToken positionIn(Long domain, String position) {
    if (domain == null || position == null) {
      return null;
    }
    for (String gtid : position.split(",")) {
      String trimmed = gtid.strip();
      if (trimmed.startsWith(domain + "-")) {
        return ConsistencyToken.of(trimmed);
      }
    }
    return null;
  }
}
