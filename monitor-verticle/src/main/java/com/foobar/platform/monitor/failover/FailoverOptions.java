package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * The {@code failover} object of {@code conf/monitor.json}: whether the monitor promotes a replica when the
 * primary is gone, how soon, and the credentials it acts with. The monitor is the one component that decides
 * (see the README): a single decider cannot promote two different nodes.
 */
public class FailoverOptions {

  public static final boolean DEFAULT_ENABLED = false;
  /** How long the primary must be unreachable before a replica is promoted (ms). */
  public static final int DEFAULT_FAIL_AFTER_MS = 5000;
  public static final int DEFAULT_CHECK_INTERVAL_MS = 1000;
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 1000;
  /** How long a candidate may take to apply what it already fetched before it is promoted (s). */
  public static final int DEFAULT_CATCH_UP_SECONDS = 10;
  public static final String DEFAULT_USER = "foobar_failover";
  public static final String DEFAULT_PASSWORD_FILE = "state/secrets/failover.password";
  public static final String DEFAULT_REPLICATION_USER = "foobar_repl";
  public static final String DEFAULT_REPLICATION_PASSWORD_FILE = "state/secrets/repl.password";
  public static final boolean DEFAULT_DISCOVER_REPLICAS = true;

  private static final Set<String> KEYS = Set.of("enabled", "failAfter", "checkInterval", "connectTimeout",
    "catchUpSeconds", "user", "password", "passwordFile", "replicationUser", "replicationPassword",
    "replicationPasswordFile", "discoverReplicas");

  private boolean enabled = DEFAULT_ENABLED;
  private int failAfter = DEFAULT_FAIL_AFTER_MS;
  private int checkInterval = DEFAULT_CHECK_INTERVAL_MS;
  private int connectTimeout = DEFAULT_CONNECT_TIMEOUT_MS;
  private int catchUpSeconds = DEFAULT_CATCH_UP_SECONDS;
  private String user = DEFAULT_USER;
  private String password;
  private String passwordFile = DEFAULT_PASSWORD_FILE;
  private String replicationUser = DEFAULT_REPLICATION_USER;
  private String replicationPassword;
  private String replicationPasswordFile = DEFAULT_REPLICATION_PASSWORD_FILE;
  private boolean discoverReplicas = DEFAULT_DISCOVER_REPLICAS;

  public FailoverOptions() {
  }

  public FailoverOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "failover options");
    setEnabled(json.getBoolean("enabled", enabled));
    setFailAfter(json.getInteger("failAfter", failAfter));
    setCheckInterval(json.getInteger("checkInterval", checkInterval));
    setConnectTimeout(json.getInteger("connectTimeout", connectTimeout));
    setCatchUpSeconds(json.getInteger("catchUpSeconds", catchUpSeconds));
    setUser(json.getString("user", user));
    password = json.getString("password", password);
    passwordFile = json.getString("passwordFile", passwordFile);
    setReplicationUser(json.getString("replicationUser", replicationUser));
    replicationPassword = json.getString("replicationPassword", replicationPassword);
    replicationPasswordFile = json.getString("replicationPasswordFile", replicationPasswordFile);
    setDiscoverReplicas(json.getBoolean("discoverReplicas", discoverReplicas));
  }

  /** The settings without the secrets. */
  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("failAfter", failAfter).put("checkInterval", checkInterval)
      .put("connectTimeout", connectTimeout).put("catchUpSeconds", catchUpSeconds).put("user", user)
      .put("passwordFile", passwordFile).put("replicationUser", replicationUser)
      .put("replicationPasswordFile", replicationPasswordFile).put("discoverReplicas", discoverReplicas);
  }

  public boolean isDiscoverReplicas() {
    return discoverReplicas;
  }

  /**
   * Whether replicas the writer lists in {@code SHOW SLAVE HOSTS} but the configuration does not name are
   * managed too (and, under {@code -cluster}, published to the application servers).
   */
  public FailoverOptions setDiscoverReplicas(boolean discoverReplicas) {
    this.discoverReplicas = discoverReplicas;
    return this;
  }

  public boolean isEnabled() {
    return enabled;
  }

  /** Automatic failover on or off; manual switchover works either way. */
  public FailoverOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public int getFailAfter() {
    return failAfter;
  }

  public FailoverOptions setFailAfter(int failAfter) {
    this.failAfter = Options.requireRange("failover.failAfter", failAfter, 0, 3_600_000);
    return this;
  }

  public int getCheckInterval() {
    return checkInterval;
  }

  public FailoverOptions setCheckInterval(int checkInterval) {
    this.checkInterval = Options.requireRange("failover.checkInterval", checkInterval, 50, 600_000);
    return this;
  }

  public int getConnectTimeout() {
    return connectTimeout;
  }

  public FailoverOptions setConnectTimeout(int connectTimeout) {
    this.connectTimeout = Options.requireRange("failover.connectTimeout", connectTimeout, 10, 600_000);
    return this;
  }

  public int getCatchUpSeconds() {
    return catchUpSeconds;
  }

  public FailoverOptions setCatchUpSeconds(int catchUpSeconds) {
    this.catchUpSeconds = Options.requireRange("failover.catchUpSeconds", catchUpSeconds, 0, 3600);
    return this;
  }

  public String getUser() {
    return user;
  }

  public FailoverOptions setUser(String user) {
    this.user = Options.requireText("failover.user", user);
    return this;
  }

  public String getPassword() {
    return password;
  }

  public String getPasswordFile() {
    return passwordFile;
  }

  public String getReplicationUser() {
    return replicationUser;
  }

  public FailoverOptions setReplicationUser(String replicationUser) {
    this.replicationUser = Options.requireText("failover.replicationUser", replicationUser);
    return this;
  }

  public String getReplicationPassword() {
    return replicationPassword;
  }

  public String getReplicationPasswordFile() {
    return replicationPasswordFile;
  }
}
