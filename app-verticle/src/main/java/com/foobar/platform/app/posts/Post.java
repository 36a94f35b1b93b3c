package com.foobar.platform.app.posts;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A post as stored: times are UTC, written with UTC_TIMESTAMP so no server time zone leaks in. */
record Post(long id, String author, String title, String body, LocalDateTime createdAt, LocalDateTime updatedAt) {

  static final String COLUMNS = "id, author, title, body, created_at, updated_at";

  static Post from(Row row) {
    return new Post(row.getLong("id"), row.getString("author"), row.getString("title"), row.getString("body"),
      row.getLocalDateTime("created_at"), row.getLocalDateTime("updated_at"));
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("id", id).put("author", author).put("title", title).put("body", body)
      .put("createdAt", iso(createdAt)).put("updatedAt", iso(updatedAt));
  }

  private static String iso(LocalDateTime time) {
    return DateTimeFormatter.ISO_INSTANT.format(time.toInstant(ZoneOffset.UTC));
  }
}
