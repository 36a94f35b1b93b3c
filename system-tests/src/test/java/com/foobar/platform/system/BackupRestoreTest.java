package com.foobar.platform.system;

import com.foobar.platform.testing.MariaDbPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./foobar backup} takes a consistent online backup of the writer with mariadb-backup, recording its GTID
 * position; {@code ./foobar restore} re-images both nodes from it: the same rows as at the backup, a writer, and a
 * replica that resumes from the backup's position (nothing replayed) and follows the writer.
 */
class BackupRestoreTest {

  private final MariaDbPair pair = MariaDbPair.isolated();

  @AfterEach
  void destroy() {
    pair.destroy();
  }

  @Test
  void aRestoredBackupHasTheBackedUpRowsAndAReplicaFollowingTheWriter() throws Exception {
    pair.sql("primary", "CREATE TABLE foobar.kept (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO foobar.kept"
      + " VALUES (1, 'one'), (2, 'two')");
    Processes.Result backup = Launcher.run(pair, "backup");
    assertThat(backup.exitCode()).as(backup.output()).isZero();
    Path dir = Path.of(backup.output().strip().lines().reduce((a, b) -> b).orElseThrow());
    String info = Files.readString(dir.resolve("foobar-backup.info"));
    String position = pair.sql("primary", "SELECT @@gtid_binlog_pos").strip();
    assertThat(info).contains("gtid_position=" + position).contains("source=primary");
    pair.sql("primary", "INSERT INTO foobar.kept VALUES (3, 'after the backup')");

    Processes.Result restored = Launcher.run(pair, "restore", dir.toString());
    assertThat(restored.exitCode()).as(restored.output()).isZero();
    assertThat(restored.output()).contains("re-imaged at GTID position " + position);
    for (String node : new String[] {"primary", "replica"}) {
      assertThat(pair.sql(node, "SELECT id, v FROM foobar.kept ORDER BY id")).as(node).isEqualTo("1\tone\n2\ttwo\n");
    }
    assertThat(pair.sql("primary", "SELECT @@read_only").strip()).isEqualTo("0");
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.replicating("replica"));
    pair.sql("primary", "INSERT INTO foobar.kept VALUES (4, 'after the restore')");
    await().atMost(Duration.ofSeconds(10)).until(() ->
      pair.sql("replica", "SELECT COUNT(*) FROM foobar.kept").strip().equals("3"));
    assertThat(Files.list(pair.stateDir().resolve("db/primary")).map(p -> p.getFileName().toString()))
      .as("the data before the restore is kept aside").anyMatch(name -> name.startsWith("data.before-restore-"));
  }
}
