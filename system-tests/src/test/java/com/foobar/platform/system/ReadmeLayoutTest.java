package com.foobar.platform.system;

import com.foobar.platform.testing.RepoRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's layout table names every package of main code, so a newcomer finds each concern by its package:
 * a package added or moved without the table following fails here.
 */
class ReadmeLayoutTest {

  private static final Path ROOT = RepoRoot.find();
  private static final String BASE = "com/foobar/platform/";

  @Test
  void everyMainPackageHasARowInTheLayoutTable() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Layout\n");
    assertThat(start).as("README.md has a Layout section").isPositive();
    int end = readme.indexOf("\n## ", start + 1);
    String layout = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> packages = mainPackages();
    assertThat(packages).as("main packages found").hasSizeGreaterThan(10);
    assertThat(packages).allSatisfy(name -> assertThat(layout).as("the layout table's row for package %s", name)
      .contains("| `" + name + "` |"));
  }

  private static List<String> mainPackages() throws IOException {
    try (Stream<Path> modules = Files.list(ROOT)) {
      return modules.map(module -> module.resolve("src/main/java/" + BASE)).filter(Files::isDirectory)
        .flatMap(ReadmeLayoutTest::packagesBelow).sorted().toList();
    }
  }

  private static Stream<String> packagesBelow(Path base) {
    try (Stream<Path> files = Files.walk(base)) {
      return files.filter(file -> file.toString().endsWith(".java")).map(Path::getParent).distinct()
        .map(dir -> base.relativize(dir).toString().replace('/', '.')).toList().stream();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
