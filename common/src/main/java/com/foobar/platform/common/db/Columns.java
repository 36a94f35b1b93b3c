package com.foobar.platform.common.db;

import io.vertx.sqlclient.Row;

/**
 * Lenient column access for server variables and SHOW output, whose column types differ between MariaDB
 * versions and protocols (a flag may come back as a number or as text).
 */
final class Columns {

  private Columns() {
  }

  static Object value(Row row, String column) {
    int index = row.getColumnIndex(column);
    return index < 0 ? null : row.getValue(index);
  }

  static String text(Row row, String column) {
    Object value = value(row, column);
    if (value instanceof io.vertx.core.buffer.Buffer buffer) {
      return buffer.toString();
    }
    return value == null ? null : value.toString();
  }

  static Long number(Row row, String column) {
    Object value = value(row, column);
    if (value == null) {
      return null;
    }
    if (value instanceof Number number) {
      return number.longValue();
    }
    try {
      return Long.valueOf(text(row, column).trim());
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  /** ON/OFF, 1/0, YES/NO as MariaDB spells flags; null when absent or unreadable. */
  static Boolean flag(Row row, String column) {
    String text = text(row, column);
    if (text == null) {
      return null;
    }
    return switch (text.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "ON", "1", "YES", "TRUE" -> true;
      case "OFF", "0", "NO", "FALSE" -> false;
      default -> null;
    };
  }

  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
