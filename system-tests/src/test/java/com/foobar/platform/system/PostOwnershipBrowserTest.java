package com.foobar.platform.system;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in headless Chromium through the real balancer, app servers and MariaDB, as two visitors with their
 * own browser profiles: the author's page keeps the post's edit token (localStorage) and offers Edit and
 * Delete on that post only; the other visitor sees the post without them, and a DELETE or PUT forged from
 * their page is refused (403) and changes nothing; the author edits and deletes it.
 */
class PostOwnershipBrowserTest {

  private static String tokens(Chromium browser) {
    return String.valueOf(browser.eval("localStorage.getItem('foobar.editTokens') || '{}'"));
  }

  @Test
  void onlyTheAuthorsBrowserCanChangeAPost(@TempDir Path profiles) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Topology topology = new Topology();
         Chromium author = Chromium.start(vertx, profiles.resolve("author"))) {
      String site = "http://127.0.0.1:" + topology.balancer.actualPort() + "/";
      String keysBefore = topology.pair.sql("primary", "SELECT COUNT(*) FROM foobar.idempotency_keys").strip();

      author.open(site);
      author.waitFor("document.getElementById('posts').getAttribute('aria-busy') === 'false'");
      author.eval("document.getElementById('author').value = 'alice';"
        + "document.getElementById('title').value = 'owned by alice';"
        + "document.getElementById('body').value = 'only alice may change this';"
        + "document.getElementById('submit').click(); true");
      author.waitFor("Object.keys(JSON.parse(localStorage.getItem('foobar.editTokens') || '{}')).length === 1");
      JsonObject stored = new JsonObject(tokens(author));
      String id = stored.fieldNames().iterator().next();
      String token = stored.getString(id);
      assertThat(token).matches("[A-Za-z0-9_-]{43}");
      String own = "document.querySelector('li.post[data-id=\"" + id + "\"]')";
      author.waitFor(own + " && " + own + ".querySelector('button.delete') && " + own + ".querySelector('button.edit')");
      assertThat(topology.pair.sql("primary", "SELECT COUNT(*) FROM foobar.idempotency_keys").strip())
        .as("the page sent an Idempotency-Key with its post").isNotEqualTo(keysBefore);

      try (Chromium other = Chromium.start(vertx, profiles.resolve("other"))) {
        other.open(site);
        String theirs = "document.querySelector('li.post[data-id=\"" + id + "\"]')";
        other.waitFor(theirs);
        assertThat(other.eval(theirs + ".querySelectorAll('button').length")).as("no Edit, no Delete")
          .isEqualTo(0);
        assertThat(other.eval("document.querySelectorAll('button.delete, button.edit').length")).isEqualTo(0);
        assertThat(tokens(other)).isEqualTo("{}");
        assertThat(other.eval("fetch('api/posts/" + id + "', {method: 'DELETE'}).then(r => r.status)"))
          .as("a forged DELETE").isEqualTo(403);
        assertThat(other.eval("fetch('api/posts/" + id + "', {method: 'DELETE', headers: {'X-Edit-Token': '"
          + "A".repeat(43) + "'}}).then(r => r.status)")).as("with a made-up token").isEqualTo(403);
        assertThat(other.eval("fetch('api/posts/" + id + "', {method: 'PUT', headers: {'Content-Type':"
          + " 'application/json'}, body: JSON.stringify({author: 'mallory', title: 'defaced', body: 'x'})})"
          + ".then(r => r.status)")).as("a forged PUT").isEqualTo(403);
        assertThat(other.eval("fetch('api/posts/" + id + "').then(r => r.json()).then(p => p.title + '|'"
          + " + ('editToken' in p))")).isEqualTo("owned by alice|false");
      }
      assertThat(topology.pair.sql("primary", "SELECT title FROM foobar.posts WHERE id = " + id).strip())
        .isEqualTo("owned by alice");

      author.open(site);
      author.waitFor(own + " && " + own + ".querySelector('button.edit')");
      author.eval(own + ".querySelector('button.edit').click(); true");
      author.waitFor(own + ".querySelector('form.post-editor')");
      author.eval(own + ".querySelector('form.post-editor input').value = 'edited by alice';"
        + own + ".querySelector('form.post-editor button[type=submit]').click(); true");
      author.waitFor("document.querySelector('li.post[data-id=\"" + id + "\"] .post-title').textContent"
        + " === 'edited by alice'");
      assertThat(topology.pair.sql("primary", "SELECT title FROM foobar.posts WHERE id = " + id).strip())
        .isEqualTo("edited by alice");

      author.eval("window.confirm = () => true;"
        + "document.querySelector('li.post[data-id=\"" + id + "\"] button.delete').click(); true");
      author.waitFor("!document.querySelector('li.post[data-id=\"" + id + "\"]')");
      assertThat(topology.pair.sql("primary", "SELECT COUNT(*) FROM foobar.posts WHERE id = " + id).strip())
        .isEqualTo("0");
      assertThat(tokens(author)).as("the token of a deleted post is forgotten").isEqualTo("{}");
    } finally {
      com.foobar.platform.testing.Await.result(vertx.close());
    }
  }
}
