package com.foobar.platform.system.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the final table and holds it against what the clients did: every acknowledged write present exactly once
 * (under its id, with its title), no write present that no client attempted, no title present twice (a write that
 * ran twice: a retry nobody deduplicated), every write with an idempotency key acknowledged in the end.
 * Attempts without an answer may be present or not, but once at most.
 */
public final class HistoryChecker {

  /** The numbers of a run, for docs/RELIABILITY.md. */
  public record Summary(int attempted, int acknowledged, int indeterminate, int indeterminatePresent, int present,
                        int keyed, int keyedAcknowledged, int keyedRetried) {
    @Override
    public String toString() {
      return "writes attempted " + attempted + ", acknowledged " + acknowledged + ", without an answer "
        + indeterminate + " (of which present " + indeterminatePresent + "), present in the final table " + present
        + "; with an idempotency key " + keyed + ", acknowledged " + keyedAcknowledged + " (" + keyedRetried
        + " only after retries)";
    }
  }

  private final Map<String, HistoryClients.Attempt> attempts;
  private final Map<String, List<Long>> rows = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private int present;

  /** {@code table}: the final rows, one {@code id<TAB>title} line each. */
  public HistoryChecker(Map<String, HistoryClients.Attempt> attempts, String table) {
    this.attempts = attempts;
    for (String line : table.split("\n")) {
      if (!line.isBlank()) {
        String[] columns = line.split("\t", 2);
        rows.computeIfAbsent(columns[1], title -> new ArrayList<>()).add(Long.parseLong(columns[0]));
        present++;
      }
    }
    check();
  }

  private void check() {
    rows.forEach((title, ids) -> {
      if (!attempts.containsKey(title)) {
        problems.add("present but never attempted: " + title + " " + ids);
      }
      if (ids.size() > 1) {
        problems.add("present " + ids.size() + " times: " + title + " " + ids);
      }
    });
    attempts.values().stream().filter(attempt -> attempt.kind() == HistoryClients.Kind.KEYED && !attempt.acknowledged())
      .forEach(attempt -> problems.add("a keyed write failed for good (" + attempt.tries() + " tries): "
        + attempt.title() + ": " + attempt.failure()));
    attempts.values().stream().filter(HistoryClients.Attempt::acknowledged).forEach(attempt -> {
      List<Long> ids = rows.get(attempt.title());
      if (ids == null || !ids.contains(attempt.id())) {
        problems.add("acknowledged but missing: " + attempt.title() + " (id " + attempt.id() + ")" + (ids == null ? ""
          : ", present as " + ids));
      }
    });
  }

  public List<String> problems() {
    return problems;
  }

  public Summary summary() {
    int acknowledged = (int) attempts.values().stream().filter(HistoryClients.Attempt::acknowledged).count();
    int indeterminatePresent = (int) attempts.values().stream()
      .filter(attempt -> !attempt.acknowledged() && rows.containsKey(attempt.title())).count();
    List<HistoryClients.Attempt> keyed = attempts.values().stream()
      .filter(attempt -> attempt.kind() == HistoryClients.Kind.KEYED).toList();
    int keyedAcknowledged = (int) keyed.stream().filter(HistoryClients.Attempt::acknowledged).count();
    int keyedRetried = (int) keyed.stream().filter(attempt -> attempt.acknowledged() && attempt.tries() > 1).count();
    return new Summary(attempts.size(), acknowledged, attempts.size() - acknowledged, indeterminatePresent, present,
      keyed.size(), keyedAcknowledged, keyedRetried);
  }
}
