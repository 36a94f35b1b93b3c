package com.foobar.platform.monitor;

import io.vertx.sqlclient.Row;

/**
 * Lenient column access for server variables and SHOW output, whose column types differ between MariaDB
 * versions and protocols (a flag may come back as a number or as text).
 */
final class Rows {

  private Rows() {
  }

  /** The column's value, or null when the row has no such column. */
  static Object value(Row row, String column) {
    int index = row.getColumnIndex(column);
    return index < 0 ? null : row.getValue(index);
  }

  static String text(Row row, String column) {
    Object value = value(row, column);
    return value == null ? null : value.toString();
  }

  static Long number(Row row, String column) {
    Object value = value(row, column);
    if (value == null) {
      return null;
    }
    if (value instanceof Number) {
      return ((Number) value).longValue();
    }
    try {
      return Long.valueOf(value.toString().trim());
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }
}
