package com.foobar.platform.monitor.alert;

import com.foobar.platform.testing.RepoRoot;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code conf/alerts.yml} is {@link AlertCatalog} in Prometheus form, and the built-in engine agrees with the
 * catalog rule by rule. After changing the catalog run this test with {@code -Dfoobar.writeAlerts=true} to
 * rewrite the file, then without to check.
 */
class AlertsFileTest {

  private static final Path ROOT = RepoRoot.find();

  @Test
  void theShippedRuleFileIsTheCatalog() throws IOException {
    Path file = ROOT.resolve("conf/alerts.yml");
    String expected = AlertsYaml.render(AlertCatalog.RULES);
    String actual = Files.readString(file, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("foobar.writeAlerts") && !actual.equals(expected)) {
      Files.writeString(file, expected, StandardCharsets.UTF_8);
      return;
    }
    assertThat(actual).as("conf/alerts.yml (rewrite it with -Dfoobar.writeAlerts=true)").isEqualTo(expected);
  }

  /** Each built-in rule is in the catalog, and its default {@code for} is the catalog's (the Prometheus rule's). */
  @Test
  void everyBuiltInRuleIsInTheCatalogWithTheSameFor() {
    AlertOptions defaults = new AlertOptions(AlertOptions.SCHEMA.bind(new JsonObject(), warning -> { }));
    Map<String, Integer> builtIn = new LinkedHashMap<>();
    List.of(AlertRules.COMPONENT_DOWN, AlertRules.SERVER_DOWN)
      .forEach(name -> builtIn.put(name, defaults.componentDownForSeconds()));
    List.of(AlertRules.REPLICATION_BROKEN, AlertRules.REPLICATION_LAG)
      .forEach(name -> builtIn.put(name, defaults.replicationForSeconds()));
    List.of(AlertRules.SITE_ERRORS, AlertRules.SITE_SLOW).forEach(name -> builtIn.put(name, defaults.siteForSeconds()));
    List.of(AlertRules.WRITABLE_REPLICA, AlertRules.TWO_WRITABLE_NODES)
      .forEach(name -> builtIn.put(name, defaults.topologyForSeconds()));
    builtIn.put(DatabaseAlerts.WRITER_ASYNC, defaults.asyncForSeconds());
    List.of(DatabaseAlerts.ERRANT_NODE, DatabaseAlerts.FAILOVER, DatabaseAlerts.NO_SAFE_WRITER)
      .forEach(name -> builtIn.put(name, 0));

    assertThat(builtIn.keySet()).as("every rule the engine evaluates is listed here").hasSameElementsAs(AlertRules.NAMES);
    Map<String, Integer> catalog = AlertCatalog.RULES.stream().filter(rule -> builtIn.containsKey(rule.name()))
      .collect(Collectors.toMap(AlertCatalog.Rule::name, AlertCatalog.Rule::forSeconds));
    assertThat(catalog).isEqualTo(builtIn);
  }

  /** What a built-in alert carries: the catalog's severity and runbook, and the labels every rule has. */
  @Test
  void builtInAlertsCarryTheCatalogsAttributes() {
    for (String name : AlertRules.NAMES) {
      AlertCatalog.Rule rule = AlertCatalog.rule(name);
      AlertCondition condition = AlertCondition.of(name, Map.of(), "s", "d", rule.forSeconds());
      assertThat(condition.labels()).containsEntry("severity", rule.severity()).containsEntry("service", "foobar");
      assertThat(condition.annotationsJson().getString("runbook_url")).isEqualTo(rule.runbookUrl());
    }
  }

  /** Every rule's runbook_url points at a heading of docs/RUNBOOK.md (GitHub's anchor of "## FoobarX"). */
  @Test
  void everyRunbookAnchorExists() throws IOException {
    String runbook = Files.readString(ROOT.resolve("docs/RUNBOOK.md"), StandardCharsets.UTF_8);
    Matcher headings = Pattern.compile("(?m)^#{2,3} (\\S+)\\s*$").matcher(runbook);
    List<String> anchors = headings.results().map(match -> match.group(1).toLowerCase(java.util.Locale.ROOT)).toList();
    for (AlertCatalog.Rule rule : AlertCatalog.RULES) {
      String url = rule.runbookUrl();
      assertThat(anchors).as("docs/RUNBOOK.md has a section for %s", url)
        .contains(url.substring(url.indexOf('#') + 1));
    }
  }
}
