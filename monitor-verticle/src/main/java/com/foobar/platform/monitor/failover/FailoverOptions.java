package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

/**
 * The {@code failover} object of {@code conf/monitor.json}: whether the monitor promotes a replica when the
 * primary is gone, how soon, and the credentials it acts with. The monitor is the one component that decides
 * (see the README): a single decider cannot promote two different nodes.
 */
public final class FailoverOptions {

  public static final Schema SCHEMA = new Schema("failover options");
  static final Key<Boolean> ENABLED = SCHEMA.flag("enabled", false,
    "automatic promotion of a replica when the writer is lost (the local stack turns it on); switchover works"
      + " either way");
  static final Key<Integer> FAIL_AFTER = SCHEMA.millis("failAfterMs", 5000, 0, 3_600_000,
    "how long the writer must be unreachable before a replica is promoted", "failAfter");
  static final Key<Integer> CHECK_INTERVAL = SCHEMA.millis("checkIntervalMs", 1000, 50, 600_000,
    "the time between the manager's rounds (and, under `-cluster`, between publications of the nodes)",
    "checkInterval");
  static final Key<Integer> CONNECT_TIMEOUT = SCHEMA.millis("connectTimeoutMs", 1000, 10, 600_000,
    "the wait to reach a node, and for a pooled connection to it", "connectTimeout");
  static final Key<Integer> CATCH_UP = SCHEMA.seconds("catchUpSeconds", 10, 0, 3600,
    "how long a candidate may take to apply what it already fetched before it is promoted");
  static final Key<String> USER = SCHEMA.key("user", Types.nonEmptyText(), "foobar_failover",
    "the account that fences and promotes");
  static final Key<String> PASSWORD = SCHEMA.text("password", null,
    "its password (absent: read from `passwordFile`)");
  static final Key<String> PASSWORD_FILE = SCHEMA.text("passwordFile", "state/secrets/failover.password",
    "a file holding that password; without a readable one the manager does not run (switchover unavailable)");
  static final Key<String> REPLICATION_USER = SCHEMA.key("replicationUser", Types.nonEmptyText(), "foobar_repl",
    "the account replicas connect with after a re-point");
  static final Key<String> REPLICATION_PASSWORD = SCHEMA.text("replicationPassword", null,
    "its password (absent: read from `replicationPasswordFile`)");
  static final Key<String> REPLICATION_PASSWORD_FILE = SCHEMA.text("replicationPasswordFile",
    "state/secrets/repl.password", "a file holding that password");
  static final Key<Boolean> DISCOVER_REPLICAS = SCHEMA.flag("discoverReplicas", true,
    "manage replicas the writer lists in `SHOW SLAVE HOSTS` that the configuration does not name, and under"
      + " `-cluster` publish every node to the application servers");

  private final Settings settings;

  public FailoverOptions(Settings settings) {
    this.settings = settings;
  }

  /** Options from JSON (tests, tools): unknown keys and bad values fail, former names are accepted. */
  public FailoverOptions(JsonObject json) {
    this(SCHEMA.bind(json, LoggerFactory.getLogger(FailoverOptions.class)::warn));
  }

  public boolean enabled() {
    return settings.get(ENABLED);
  }

  public int failAfterMs() {
    return settings.get(FAIL_AFTER);
  }

  public int checkIntervalMs() {
    return settings.get(CHECK_INTERVAL);
  }

  public int connectTimeoutMs() {
    return settings.get(CONNECT_TIMEOUT);
  }

  public int catchUpSeconds() {
    return settings.get(CATCH_UP);
  }

  public String user() {
    return settings.get(USER);
  }

  /** The password given in the options, or null. */
  public String password() {
    return settings.get(PASSWORD);
  }

  public String passwordFile() {
    return settings.get(PASSWORD_FILE);
  }

  public String replicationUser() {
    return settings.get(REPLICATION_USER);
  }

  public String replicationPassword() {
    return settings.get(REPLICATION_PASSWORD);
  }

  public String replicationPasswordFile() {
    return settings.get(REPLICATION_PASSWORD_FILE);
  }

  public boolean discoverReplicas() {
    return settings.get(DISCOVER_REPLICAS);
  }
}
