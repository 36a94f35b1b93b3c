package com.foobar.platform.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagementTokenTest {

  @Test
  void theVariableWinsThenTheFileThenTheProperty(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-file\n");
    assertThat(ManagementToken.from(Map.of(ManagementToken.ENV, "direct", ManagementToken.ENV_FILE, file.toString()),
      "prop")).contains("direct");
    assertThat(ManagementToken.from(Map.of(ManagementToken.ENV_FILE, file.toString()), "prop")).contains("from-file");
    assertThat(ManagementToken.from(Map.of(), "prop")).contains("prop");
    assertThat(ManagementToken.from(Map.of(), null)).isEqualTo(Optional.empty());
  }

  @Test
  void aMissingOrEmptyTokenFileIsAnError(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ManagementToken.from(Map.of(ManagementToken.ENV_FILE, dir.resolve("none").toString()), null))
      .hasMessageContaining(ManagementToken.ENV_FILE);
    Path empty = Files.createFile(dir.resolve("empty"));
    assertThatThrownBy(() -> ManagementToken.from(Map.of(ManagementToken.ENV_FILE, empty.toString()), null))
      .hasMessageContaining("empty");
  }
}
