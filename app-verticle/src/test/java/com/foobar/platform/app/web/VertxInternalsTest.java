package com.foobar.platform.app.web;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link VertxInternals} relies on, so that a Vert.x upgrade that changes it fails here, loudly: the
 * internal interface and its methods exist with these signatures, and a directory inside a jar on the class path
 * comes back as a directory on disk holding its files (the built-in site is served that way).
 */
@ExtendWith(VertxExtension.class)
class VertxInternalsTest {

  @Test
  void theInternalMethodsExistWithTheirSignatures(Vertx vertx) throws ReflectiveOperationException {
    Class<?> internal = Class.forName("io.vertx.core.internal.VertxInternal");
    Method fileResolver = internal.getMethod("fileResolver");
    Method resolve = fileResolver.getReturnType().getMethod("resolve", String.class);
    assertThat(resolve.getReturnType()).isEqualTo(File.class);
    assertThat(vertx).isInstanceOf(internal);
  }

  @Test
  void aDirectoryInAJarIsUnpackedWithItsFiles(Vertx vertx, @TempDir Path dir) throws IOException {
    Path jar = dir.resolve("site.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      put(out, "jarsite/", null);
      put(out, "jarsite/index.html", "<h1>from the jar</h1>");
      put(out, "jarsite/css/site.css", "body {}");
    }
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before)) {
      thread.setContextClassLoader(loader);
      File root = VertxInternals.classPathFile(vertx, "jarsite");
      assertThat(root).isDirectory();
      assertThat(root.toPath().resolve("index.html")).hasContent("<h1>from the jar</h1>");
      assertThat(root.toPath().resolve("css/site.css")).hasContent("body {}");
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Test
  void theBuiltInSiteIsADirectoryAndAMissingNameNoFile(Vertx vertx) {
    File site = VertxInternals.classPathFile(vertx, StaticSite.BUILT_IN_ROOT);
    assertThat(site).isDirectory();
    assertThat(new File(site, "index.html")).isFile();
    assertThat(VertxInternals.classPathFile(vertx, "no-such-resource-anywhere")).doesNotExist();
  }

  private static void put(JarOutputStream out, String name, String content) throws IOException {
    out.putNextEntry(new JarEntry(name));
    if (content != null) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    out.closeEntry();
  }
}
