package com.foobar.platform.common.db;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * What {@link Election#decide} found: the writer (null when no node may safely write, with the reason), whether
 * taking it as the writer is a promotion (a new epoch, from {@code base}), the nodes that may follow it, and the
 * errant ones with the transactions they hold that the writer's history lacks. {@code unknown} names the nodes
 * that could not be checked: they are neither followers nor errant.
 */
public record ElectionResult(Member writer, String reason, boolean promote, long epoch, GtidState base,
                             List<Member> followers, Map<String, List<GtidRange>> errant, List<String> unknown) {

  static ElectionResult none(String reason, List<String> unknown) {
    return new ElectionResult(null, reason, false, 0, GtidState.EMPTY, List.of(), Map.of(), unknown);
  }

  public boolean hasWriter() {
    return writer != null;
  }

  public boolean isErrant(String node) {
    return errant.containsKey(node);
  }

  /** How many transactions an errant node holds beyond the writer's history (0 when it is not errant). */
  public long errantCount(String node) {
    return errant.getOrDefault(node, List.of()).stream().mapToLong(GtidRange::count).sum();
  }

  /** {@code 0-1-29..0-1-30,0-2-7}: the errant GTIDs of a node, as an operator would search the binlog for them. */
  public static String describe(List<GtidRange> ranges) {
    return String.join(",", ranges.stream().map(GtidRange::toString).toList());
  }

  public JsonObject toJson() {
    JsonObject errantJson = new JsonObject();
    errant.forEach((node, ranges) -> errantJson.put(node, describe(ranges)));
    return new JsonObject().put("writer", writer == null ? null : writer.name()).put("reason", reason)
      .put("promote", promote).put("epoch", epoch)
      .put("followers", new JsonArray(followers.stream().map(Member::name).toList()))
      .put("errant", errantJson).put("unknown", new JsonArray(unknown));
  }
}
