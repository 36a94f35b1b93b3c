package com.foobar.platform.monitor.alert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@link AlertCatalog} as a Prometheus rule file, written the way the shipped {@code conf/alerts.yml} reads. */
final class AlertsYaml {

  private static final String HEADER = """
    # GENERATED from monitor-verticle's AlertCatalog: do not edit. Change the catalog, then run
    #   mvn -B -ntp verify -pl monitor-verticle -am -Dtest=AlertsFileTest -Dsurefire.failIfNoSpecifiedTests=false \\
    #     -Dfoobar.writeAlerts=true
    # The monitor's built-in engine raises the same names, severities and labels. Check: promtool check rules
    # conf/alerts.yml. What to do about each alert: docs/RUNBOOK.md.
    groups:
    """;

  private AlertsYaml() {
  }

  static String render(List<AlertCatalog.Rule> rules) {
    Map<String, List<AlertCatalog.Rule>> groups = rules.stream()
      .collect(Collectors.groupingBy(AlertCatalog.Rule::group, LinkedHashMap::new, Collectors.toList()));
    StringBuilder yaml = new StringBuilder(HEADER);
    groups.forEach((group, members) -> {
      yaml.append(yaml.length() == HEADER.length() ? "" : "\n").append("  - name: ").append(group)
        .append("\n    rules:\n");
      members.forEach(rule -> rule(rule, yaml));
    });
    return yaml.toString();
  }

  private static void rule(AlertCatalog.Rule rule, StringBuilder yaml) {
    yaml.append("      - alert: ").append(rule.name()).append('\n');
    if (rule.expr().contains("\n")) {
      yaml.append("        expr: >\n");
      rule.expr().lines().forEach(line -> yaml.append("          ").append(line).append('\n'));
    } else {
      yaml.append("        expr: ").append(rule.expr()).append('\n');
    }
    if (rule.forSeconds() > 0) {
      yaml.append("        for: ").append(duration(rule.forSeconds())).append('\n');
    }
    yaml.append("        labels:\n          severity: ").append(rule.severity()).append('\n');
    new java.util.TreeMap<>(AlertCatalog.COMMON_LABELS).forEach((label, value) ->
      yaml.append("          ").append(label).append(": ").append(value).append('\n'));
    yaml.append("        annotations:\n")
      .append("          summary: ").append(quoted(rule.summary())).append('\n')
      .append("          description: ").append(quoted(rule.description())).append('\n')
      .append("          runbook_url: ").append(quoted(rule.runbookUrl())).append('\n');
  }

  private static String duration(int seconds) {
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  private static String quoted(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
