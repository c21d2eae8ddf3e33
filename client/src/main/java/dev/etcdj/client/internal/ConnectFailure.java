package dev.etcdj.client.internal;

import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdUnavailableException;
import io.grpc.Status;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Why a connection to one endpoint failed, read from the cause chain gRPC hands us and said in
 * words a user can act on. gRPC's own descriptions ("io exception", "ssl exception", "Network
 * closed for unknown reason") name the layer that failed, not the problem; the cause chain (the
 * SSLHandshakeException, the TLS alert, the refused connect) says what is wrong.
 */
record ConnectFailure(Kind kind, String endpoint, String reason, Throwable error) {

    enum Kind {
        /** We do not trust the server's certificate: unknown CA, wrong name, expired. */
        SERVER_CERTIFICATE,
        /** The server refused our client certificate (or that we sent none). */
        CLIENT_CERTIFICATE,
        /** We spoke TLS; the server did not (a plain-text port). */
        SERVER_NOT_TLS,
        /** We spoke plain text to a port that (most likely) wants TLS. */
        CLIENT_NOT_TLS,
        /** Another failure of the TLS handshake. */
        TLS_HANDSHAKE,
        /** Nothing listens on the port. */
        REFUSED
    }

    /** grpc-java's text when the peer closes the connection in the middle of the TLS handshake. */
    private static final String CLOSED_DURING_TLS = "Connection closed while performing TLS negotiation";
    /** grpc-java's text when the connection closes before the server's first HTTP/2 frame. */
    private static final String NETWORK_CLOSED = "Network closed for unknown reason";
    /** A TLS alert as BoringSSL (netty-tcnative) or the JDK's provider names it. */
    private static final Pattern ALERT = Pattern.compile(
            "(?:ALERT_([A-Z_]+))|(?:[Rr]eceived fatal alert: ([a-z_]+))");

    /** Fail-fast material: a certificate problem does not cure itself by trying again in a moment. */
    boolean certificate() {
        return kind == Kind.SERVER_CERTIFICATE || kind == Kind.CLIENT_CERTIFICATE;
    }

    /**
     * Whether each of these endpoints last failed to connect on a certificate (its entry in
     * {@code latest}): then trying again until the deadline would only delay the answer.
     */
    static boolean everyOnACertificate(List<EndpointChannels.Slot> endpoints,
            Map<EndpointChannels.Slot, ConnectFailure> latest) {
        for (EndpointChannels.Slot s : endpoints) {
            ConnectFailure f = latest.get(s);
            if (f == null || !f.certificate()) {
                return false;
            }
        }
        return true;
    }

    /** "TLS handshake with https://127.0.0.1:2379 failed: ..." and the like. */
    String message() {
        return switch (kind) {
            case REFUSED -> endpoint + " refused the connection (" + reason + ")";
            case CLIENT_NOT_TLS -> "connection to " + endpoint + " failed: " + reason;
            default -> "TLS handshake with " + endpoint + " failed: " + reason;
        };
    }

    /**
     * The failure of one attempt on {@code endpoint}, or null when its cause chain says nothing
     * more telling than gRPC's description (a deadline, a server's answer, ...).
     *
     * @param tls whether we speak TLS to the endpoint
     * @param clientCertificate whether we have a client certificate to offer
     * @param sent whether the attempt got a stream on an established connection
     */
    static ConnectFailure of(Throwable error, String endpoint, boolean tls, boolean clientCertificate, boolean sent) {
        Throwable t = Errors.unwrap(error);
        Status status = Errors.statusOf(t);
        String description = status == null ? null : status.getDescription();
        if (tls) {
            ConnectFailure f = tlsFailure(t, endpoint, clientCertificate, description);
            if (f != null) {
                return f;
            }
        }
        for (Throwable c = t; c != null; c = next(c)) {
            if (c instanceof ConnectException ce) {
                String why = ce.getMessage() == null ? "connection refused" : ce.getMessage();
                return new ConnectFailure(Kind.REFUSED, endpoint, why, error);
            }
        }
        if (!tls && !sent && status != null && status.getCode() == Status.Code.UNAVAILABLE
                && description != null && description.startsWith(NETWORK_CLOSED)) {
            // The TCP connection opened and was closed before the server's first HTTP/2 frame:
            // what a TLS port does with the HTTP/2 preface sent in plain text.
            return new ConnectFailure(Kind.CLIENT_NOT_TLS, endpoint, "the server closed the connection before"
                    + " answering HTTP/2 in plain text; does the endpoint want TLS (https://)?", error);
        }
        return null;
    }

    private static ConnectFailure tlsFailure(Throwable t, String endpoint, boolean clientCertificate,
                                             String description) {
        boolean ssl = false;
        Throwable deepestSsl = null;
        for (Throwable c = t; c != null; c = next(c)) {
            if (c instanceof CertificateExpiredException || c instanceof CertificateNotYetValidException) {
                return new ConnectFailure(Kind.SERVER_CERTIFICATE, endpoint,
                        "the server's certificate is outside its validity period (" + text(c) + ")", t);
            }
            if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException) {
                return serverNotTrusted(endpoint, c, t);
            }
            if (c instanceof CertificateException ce) {
                String m = text(ce).toLowerCase(Locale.ROOT);
                if (m.contains("subject alternative") || m.contains("no name matching")) {
                    return new ConnectFailure(Kind.SERVER_CERTIFICATE, endpoint,
                            "the server's certificate does not name the host we connect to (" + text(ce)
                                    + "); set the TLS authority or fix the certificate's SANs", t);
                }
                return serverNotTrusted(endpoint, ce, t);
            }
            String m = c.getMessage();
            if (m != null) {
                Matcher alert = ALERT.matcher(m);
                if (alert.find()) {
                    String name = (alert.group(1) != null ? alert.group(1) : alert.group(2))
                            .toLowerCase(Locale.ROOT).replace('_', ' ');
                    if (name.contains("certificate") || name.equals("unknown ca") || name.equals("access denied")) {
                        return new ConnectFailure(Kind.CLIENT_CERTIFICATE, endpoint, clientCertificate
                                ? "the server rejected our client certificate (" + name + ")"
                                : "the server requires a client certificate and none is configured (" + name + ")",
                                t);
                    }
                    return new ConnectFailure(Kind.TLS_HANDSHAKE, endpoint,
                            "the server ended the handshake with alert '" + name + "'", t);
                }
                if (m.contains("not an SSL/TLS record")) {
                    return new ConnectFailure(Kind.SERVER_NOT_TLS, endpoint,
                            "the server did not speak TLS; is the endpoint plain http?", t);
                }
            }
            if (c instanceof SSLException) {
                ssl = true;
                deepestSsl = c;
            }
        }
        if (description != null && description.startsWith(CLOSED_DURING_TLS)) {
            return new ConnectFailure(Kind.SERVER_NOT_TLS, endpoint,
                    "the server closed the connection during the TLS handshake; is the endpoint plain http?", t);
        }
        if (ssl) {
            return new ConnectFailure(Kind.TLS_HANDSHAKE, endpoint, text(root(deepestSsl)), t);
        }
        return null;
    }

    private static ConnectFailure serverNotTrusted(String endpoint, Throwable c, Throwable error) {
        return new ConnectFailure(Kind.SERVER_CERTIFICATE, endpoint,
                "the server's certificate is not trusted (" + text(c) + "); check the trusted CA", error);
    }

    private static Throwable next(Throwable c) {
        Throwable n = c.getCause();
        return n == c ? null : n;
    }

    private static Throwable root(Throwable t) {
        Throwable r = t;
        for (Throwable c = next(t); c != null; c = next(c)) {
            r = c;
        }
        return r;
    }

    /** The first line of a message (gRPC appends Netty's pipeline on later lines), or the type. */
    private static String text(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t instanceof ClosedChannelException ? "connection closed" : t.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    /** How calls and streams that reached no server say so: the endpoints, and why for each. */
    static EtcdUnavailableException couldNotConnect(List<String> endpoints, String within, String why,
                                                    Throwable cause) {
        return new EtcdUnavailableException(EtcdError.UNKNOWN,
                "etcdj: could not connect to " + endpoints + within + ": " + why, cause);
    }

    /** gRPC's description (first line: Netty appends its pipeline) and the root cause's message. */
    static String describe(Throwable error) {
        Status status = Errors.statusOf(error);
        String why = status != null && status.getDescription() != null ? firstLine(status.getDescription())
                : String.valueOf(Errors.unwrap(error));
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != error && root.getMessage() != null && !why.contains(firstLine(root.getMessage()))) {
            why = why + " (" + firstLine(root.getMessage()) + ")";
        }
        return why;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
