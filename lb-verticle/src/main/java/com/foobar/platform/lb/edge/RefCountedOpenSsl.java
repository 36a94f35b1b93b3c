package com.foobar.platform.lb.edge;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManagerFactory;
import java.util.List;
import java.util.Set;

/**
 * BoringSSL engine options whose engines are reference-counted ({@link SslProvider#OPENSSL_REFCNT}) rather than
 * finalized. Vert.x's own {@link OpenSSLEngineOptions} builds {@link SslProvider#OPENSSL} engines, each with a
 * finalizer that frees its native SSL object: at thousands of new connections a second every engine waits for a
 * young collection, then for the finalizer thread, and the reference processing lengthens every pause. Netty's
 * {@code SslHandler} releases a reference-counted engine when the connection closes, so nothing waits for the GC.
 * Everything else is what Vert.x's {@code DefaultSslContextFactory} does for a server.
 */
final class RefCountedOpenSsl extends OpenSSLEngineOptions {

  RefCountedOpenSsl() {
    setSessionCacheEnabled(true);
  }

  private RefCountedOpenSsl(RefCountedOpenSsl other) {
    super(other);
  }

  @Override
  public OpenSSLEngineOptions copy() {
    return new RefCountedOpenSsl(this);
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new Factory(isSessionCacheEnabled());
  }

  /** One context per Vert.x request for one; the builder methods record, {@link #create} builds. */
  private static final class Factory implements SslContextFactory {

    private final boolean sessionCacheEnabled;
    private boolean useAlpn;
    private boolean forClient;
    private ClientAuth clientAuth;
    private KeyManagerFactory keys;
    private TrustManagerFactory trust;
    private Set<String> cipherSuites;
    private List<String> protocols;

    private Factory(boolean sessionCacheEnabled) {
      this.sessionCacheEnabled = sessionCacheEnabled;
    }

    // Vert.x records what it knows through these, then calls create().
    @Override public SslContextFactory useAlpn(boolean on) { useAlpn = on; return this; }
    @Override public SslContextFactory forClient(boolean client) { forClient = client; return this; }
    @Override public SslContextFactory clientAuth(ClientAuth auth) { clientAuth = auth; return this; }
    @Override public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) { keys = kmf; return this; }
    @Override public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) { trust = tmf; return this; }
    @Override public SslContextFactory enabledCipherSuites(Set<String> suites) { cipherSuites = suites; return this; }
    @Override public SslContextFactory applicationProtocols(List<String> names) { protocols = names; return this; }

    @Override
    public SslContext create() throws SSLException {
      SslContextBuilder builder = forClient ? SslContextBuilder.forClient().keyManager(keys)
        : SslContextBuilder.forServer(keys);
      builder.sslProvider(SslProvider.OPENSSL_REFCNT).trustManager(trust)
        .ciphers(cipherSuites == null || cipherSuites.isEmpty() ? OpenSsl.availableOpenSslCipherSuites()
          : cipherSuites);
      if (useAlpn && protocols != null && !protocols.isEmpty()) {
        builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols));
      }
      if (clientAuth != null) {
        builder.clientAuth(clientAuth);
      }
      SslContext context = builder.build();
      SSLSessionContext sessions = context.sessionContext();
      if (!forClient && sessions instanceof OpenSslServerSessionContext server) {
        server.setSessionCacheEnabled(sessionCacheEnabled);
      }
      return context;
    }
  }
}
