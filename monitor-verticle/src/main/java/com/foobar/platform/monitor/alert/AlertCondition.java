package com.foobar.platform.monitor.alert;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One rule's condition holding right now for one set of labels, as the rules found it in a round. Its identity
 * is its labels (alertname included), as in Prometheus: the same labels in the next round are the same alert.
 */
record AlertCondition(Map<String, String> labels, String summary, String description, int forSeconds) {

  AlertCondition {
    labels = new TreeMap<>(labels);
  }

  /**
   * A condition of the rule {@code name} with the labels every alert carries: its severity as {@link AlertCatalog}
   * declares it, and {@code service}.
   */
  static AlertCondition of(String name, Map<String, String> labels, String summary, String description,
                           int forSeconds) {
    Map<String, String> all = new HashMap<>(labels);
    all.putAll(AlertCatalog.COMMON_LABELS);
    all.put("alertname", name);
    all.put("severity", AlertCatalog.rule(name).severity());
    return new AlertCondition(all, summary, description, forSeconds);
  }

  String name() {
    return labels.get("alertname");
  }

  /** {@code FoobarComponentDown{component="app-2",kind="server",severity="critical"}}: unique per alert. */
  String key() {
    StringBuilder key = new StringBuilder(name()).append('{');
    labels.forEach((label, value) -> {
      if (!label.equals("alertname")) {
        key.append(key.charAt(key.length() - 1) == '{' ? "" : ",").append(label).append("=\"").append(value)
          .append('"');
      }
    });
    return key.append('}').toString();
  }

  JsonObject labelsJson() {
    JsonObject json = new JsonObject();
    labels.forEach(json::put);
    return json;
  }

  JsonObject annotationsJson() {
    return new JsonObject().put("summary", summary).put("description", description)
      .put("runbook_url", AlertCatalog.rule(name()).runbookUrl());
  }
}
