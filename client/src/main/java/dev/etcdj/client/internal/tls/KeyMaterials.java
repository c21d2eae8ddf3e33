package dev.etcdj.client.internal.tls;

import dev.etcdj.client.KeySource;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** The client's own certificate and key, as JSSE key managers: how the client reads a {@link KeySource}. */
public final class KeyMaterials implements KeySource.Reader {
    private static final char[] NO_PASSWORD = new char[0];
    private static final String ALIAS = "etcdj-client";
    private static final KeyMaterials READER = new KeyMaterials();

    private KeyMaterials() {
    }

    /** The key manager of {@code source}; throws IllegalArgumentException for unreadable or invalid material. */
    public static X509ExtendedKeyManager keyManager(KeySource source) {
        return source.read(READER);
    }

    @Override
    public X509ExtendedKeyManager pem(String chainPem, String keyPem, char[] keyPassword) {
        return pem(chainPem, keyPem, keyPassword, "the PEM text");
    }

    private X509ExtendedKeyManager pem(String chainPem, String keyPem, char[] keyPassword, String source) {
        List<Certificate> chain = Pem.certificates(chainPem, source);
        PrivateKey key = Pem.privateKey(keyPem, keyPassword, source);
        KeyStore ks = Pem.emptyStore();
        Pem.orInvalid("the private key does not fit the certificate in " + source, () -> {
            ks.setKeyEntry(ALIAS, key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            return ks;
        });
        return keyStore(ks, NO_PASSWORD);
    }

    @Override
    public X509ExtendedKeyManager pemFiles(Path chain, Path key, char[] keyPassword) {
        String source = chain + " and " + key;
        return new ReloadingKeyManager(new Reloading<>(List.of(chain, key),
                () -> pem(Pem.read(chain), Pem.read(key), keyPassword, source)));
    }

    @Override
    public X509ExtendedKeyManager keyStoreFile(Path file, char[] password) {
        return new ReloadingKeyManager(new Reloading<>(List.of(file), () -> keyStore(Pem.keyStore(file, password), password)));
    }

    @Override
    public X509ExtendedKeyManager keyStore(KeyStore store, char[] password) {
        return keyManagers(Pem.orInvalid("cannot use the key store", () -> {
            KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            f.init(store, password);
            return f;
        }));
    }

    @Override
    public X509ExtendedKeyManager keyManagers(KeyManagerFactory factory) {
        return Pem.first(factory.getKeyManagers(), X509ExtendedKeyManager.class, "key manager");
    }

    /** Delegates to the material of the moment; a client handshake first looks whether the files changed. */
    private static final class ReloadingKeyManager extends X509ExtendedKeyManager implements FileBacked {
        private final Reloading<X509ExtendedKeyManager> material;

        @Override
        public long generation() {
            return material.generation();
        }

        ReloadingKeyManager(Reloading<X509ExtendedKeyManager> material) {
            this.material = material;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return material.refresh().chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return material.refresh().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return material.refresh().getClientAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return material.current().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return material.current().getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return material.current().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return material.current().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return material.current().chooseEngineServerAlias(keyType, issuers, engine);
        }
    }
}
