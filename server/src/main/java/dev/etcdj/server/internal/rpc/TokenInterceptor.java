package dev.etcdj.server.internal.rpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Copies the caller's identity into the gRPC context for the auth hook: the "token" (or
 * "authorization") metadata, and, when the server runs with client certificate auth, the Common
 * Name of the verified client certificate (etcd falls back to it when a call carries no token).
 */
public final class TokenInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final boolean certificateUsers;

    /** @param certificateUsers etcd's --client-cert-auth: a client certificate's CN names a user */
    public TokenInterceptor(boolean certificateUsers) {
        this.certificateUsers = certificateUsers;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String token = headers.get(TOKEN);
        if (token == null) {
            token = headers.get(AUTHORIZATION);
        }
        if (token != null) {
            return Contexts.interceptCall(Context.current().withValue(AuthHook.TOKEN, token), call, headers, next);
        }
        String user = certificateUsers ? commonName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)) : null;
        if (user != null) {
            return Contexts.interceptCall(Context.current().withValue(AuthHook.CERT_USER, user), call, headers, next);
        }
        return next.startCall(call, headers);
    }

    /** The CN of the peer's leaf certificate (already verified by the TLS handshake), or null. */
    static String commonName(SSLSession session) {
        if (session == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return null;
        }
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(rdn.getValue()); // the last CN, as Go's pkix.Name keeps it
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
