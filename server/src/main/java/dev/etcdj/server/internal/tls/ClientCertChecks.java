package dev.etcdj.server.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies client certificates as etcd 3.4's client listener does: the chain against the trusted CA
 * file (or the JDK's default trust store), then {@code --client-cert-allowed-hostname} (the leaf
 * must be valid for that name, by Go's {@code VerifyHostname} rules: an IP against IP SANs, a name
 * against DNS SANs with a leftmost {@code *} label; the Common Name is not looked at) and
 * {@code --client-crl-file} (no certificate the client sent may have a serial number the list
 * revokes; the file, PEM or DER, is read again for every connection, as etcd does, and its
 * signature is not checked either). A refusal fails the TLS handshake.
 */
public final class ClientCertChecks extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager chain;
    private final String allowedHostname; // null: any name
    private final Path crlFile; // null: no revocation list

    private ClientCertChecks(X509ExtendedTrustManager chain, String allowedHostname, Path crlFile) {
        this.chain = chain;
        this.allowedHostname = allowedHostname == null || allowedHostname.isEmpty() ? null : allowedHostname;
        this.crlFile = crlFile;
    }

    /**
     * @param trustedCaFile PEM CA certificates, or null for the JDK's default trust store
     * @param allowedHostname null or empty: any name
     * @param crlFile null: no revocation list
     * @throws IOException when the CA file cannot be read
     * @throws GeneralSecurityException when it holds no valid certificate
     */
    public static ClientCertChecks create(Path trustedCaFile, String allowedHostname, Path crlFile)
            throws IOException, GeneralSecurityException {
        KeyStore anchors = null;
        if (trustedCaFile != null) {
            anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            Collection<? extends java.security.cert.Certificate> cas;
            try (InputStream in = Files.newInputStream(trustedCaFile)) {
                cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (cas.isEmpty()) {
                throw new CertificateException("no certificate found in " + trustedCaFile);
            }
            int i = 0;
            for (java.security.cert.Certificate c : cas) {
                anchors.setCertificateEntry("ca-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new ClientCertChecks(x, allowedHostname, crlFile);
            }
        }
        throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        chain.checkClientTrusted(certs, authType);
        etcdChecks(certs);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        chain.checkClientTrusted(certs, authType, socket);
        etcdChecks(certs);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        chain.checkClientTrusted(certs, authType, engine);
        etcdChecks(certs);
    }

    private void etcdChecks(X509Certificate[] certs) throws CertificateException {
        if (allowedHostname != null && !validFor(certs[0], allowedHostname)) {
            throw new CertificateException("client certificate authentication failed");
        }
        if (crlFile != null) {
            Set<BigInteger> revoked = revokedSerials(crlFile);
            for (X509Certificate c : certs) {
                if (revoked.contains(c.getSerialNumber().abs())) {
                    String hex = c.getSerialNumber().abs().toString(16);
                    throw new CertificateException("transport: certificate serial " + (hex.length() % 2 == 0 ? "" : "0")
                            + hex + " revoked");
                }
            }
        }
    }

    private static Set<BigInteger> revokedSerials(Path crlFile) throws CertificateException {
        Collection<? extends CRL> crls;
        try (InputStream in = Files.newInputStream(crlFile)) {
            crls = CertificateFactory.getInstance("X.509").generateCRLs(in);
        } catch (IOException e) {
            throw new CertificateException("cannot read the CRL file " + crlFile + ": " + e.getMessage(), e);
        } catch (java.security.cert.CRLException e) {
            throw new CertificateException("invalid CRL file " + crlFile + ": " + e.getMessage(), e);
        }
        if (crls.isEmpty()) {
            throw new CertificateException("no CRL found in " + crlFile);
        }
        Set<BigInteger> serials = new HashSet<>();
        for (CRL crl : crls) {
            Set<? extends X509CRLEntry> entries = ((X509CRL) crl).getRevokedCertificates();
            if (entries != null) {
                for (X509CRLEntry e : entries) {
                    serials.add(e.getSerialNumber().abs());
                }
            }
        }
        return serials;
    }

    /** Go's {@code x509.Certificate.VerifyHostname} (Go 1.19, as etcd 3.4.23 is built): SANs only. */
    static boolean validFor(X509Certificate cert, String host) throws CertificateException {
        String ipCandidate = host.length() >= 3 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host;
        InetAddress ip = ipLiteral(ipCandidate);
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            if (ip != null && type == 7) {
                if (ip.equals(ipLiteral((String) san.get(1)))) {
                    return true;
                }
            } else if (ip == null && type == 2 && dnsMatches((String) san.get(1), name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.equalsIgnoreCase(host)) {
            return true;
        }
        String p = pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern;
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (p.isEmpty() || h.isEmpty()) {
            return false;
        }
        String[] pl = p.split("\\.", -1);
        String[] hl = h.split("\\.", -1);
        if (pl.length != hl.length) {
            return false;
        }
        for (int i = 0; i < pl.length; i++) {
            if (!(i == 0 && pl[i].equals("*")) && !pl[i].equals(hl[i])) {
                return false;
            }
        }
        return true;
    }

    /** The address an IP literal names (never a DNS lookup), or null for anything else. */
    private static InetAddress ipLiteral(String s) {
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null; // not a well-formed literal: Go's ParseIP refuses it too, so it is a name
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("server certificates are not checked here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("server certificates are not checked here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("server certificates are not checked here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }
}
