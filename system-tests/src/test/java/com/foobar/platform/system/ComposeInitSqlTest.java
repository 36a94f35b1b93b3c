package com.foobar.platform.system;

import com.foobar.platform.common.db.WriterEpochs;
import com.foobar.platform.testing.MariaDbPair;
import com.foobar.platform.testing.RepoRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The init SQL of {@code docker/compose.yaml} ({@code docker/mariadb/users.sql}, placeholders substituted as
 * {@code primary-init.sh} does) on a fresh real MariaDB primary/replica pair: it parses, creates the database
 * and the accounts with their grants, and, being binlogged, reaches the replica through replication (which is
 * how the Compose replica gets them). The same MariaDB 10.11 as the Compose images.
 */
class ComposeInitSqlTest {

  private static MariaDbPair pair;

  @BeforeAll
  static void freshPair() {
    pair = MariaDbPair.isolated();
  }

  @AfterAll
  static void destroy() {
    pair.destroy();
  }

  @Test
  void initSqlCreatesTheAccountsWithTheirGrantsAndReplicates() throws Exception {
    String sql = Files.readString(RepoRoot.find().resolve("docker/mariadb/users.sql"))
      .replace("@REPL_PASSWORD@", "0a1b2c").replace("@APP_PASSWORD@", "3d4e5f")
      .replace("@MONITOR_PASSWORD@", "6a7b8c").replace("@FAILOVER_PASSWORD@", "9d0e1f");
    pair.sql("primary", sql);
    // Running it twice (a re-run init, a second operator) changes nothing and fails nothing.
    pair.sql("primary", sql);

    String app = pair.sql("primary", "SHOW GRANTS FOR 'foobar_app'@'%'");
    String onFoobar = app.lines().filter(line -> line.contains("ON `foobar`.*")).findFirst().orElse("");
    for (String privilege : new String[] {"SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "INDEX",
      "REFERENCES"}) {
      assertTrue(onFoobar.contains(privilege), "foobar_app may " + privilege + " on foobar: " + app);
    }
    assertTrue(!onFoobar.contains("DROP") && !app.contains("ALL PRIVILEGES"), "no more than that: " + app);
    assertTrue(app.contains("SLAVE MONITOR"), app);
    assertTrue(pair.sql("primary", "SHOW GRANTS FOR 'foobar_repl'@'%'").contains("REPLICATION SLAVE"));
    String monitor = pair.sql("primary", "SHOW GRANTS FOR 'foobar_monitor'@'%'");
    assertTrue(monitor.contains("BINLOG MONITOR") && monitor.contains("GRANT SELECT ON `foobar`.*"), monitor);
    assertTrue(pair.sql("primary", "SHOW GRANTS FOR 'foobar_failover'@'%'").contains("READ_ONLY ADMIN"));
    assertEquals("utf8mb4", pair.sql("primary",
      "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='foobar'").strip());

    await().atMost(Duration.ofSeconds(30)).until(() -> pair.sql("replica",
      "SELECT COUNT(*) FROM mysql.user WHERE host='%' AND user LIKE 'foobar\\_%'").strip().equals("4"));

    // The promotions table the elections read, exactly as the platform defines it, and who may touch it.
    assertTrue(sql.contains(WriterEpochs.CREATE), "users.sql creates foobar_ha.writer_epoch as WriterEpochs does");
    String failover = pair.sql("primary", "SHOW GRANTS FOR 'foobar_failover'@'%'");
    assertTrue(failover.contains("GRANT SELECT, INSERT ON `foobar_ha`.*"), failover);
    assertTrue(pair.sql("primary", "SHOW GRANTS FOR 'foobar_app'@'%'").contains("GRANT SELECT ON `foobar_ha`.*"));
    assertTrue(pair.sql("primary", "SHOW GRANTS FOR 'foobar_monitor'@'%'").contains("GRANT SELECT ON `foobar_ha`.*"));
  }
}
