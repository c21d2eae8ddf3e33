package dev.etcdj.server.internal.rpc;

import dev.etcdj.server.internal.auth.Authorizer;
import dev.etcdj.server.internal.auth.Caller;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The gRPC edge of auth, the one server interceptor every etcd service is wrapped in. It finds the
 * {@link Caller} (the "token" or "authorization" metadata; without one, under client certificate
 * auth, the Common Name of the verified client certificate, as etcd falls back to it), leaves it in
 * the call's context, and runs {@link Authorizer#checkAtEdge} on every request message, keyed on
 * the call's {@link io.grpc.MethodDescriptor}, before the service sees it. A refused call is closed
 * with the check's status and never reaches its service; a method the authorizer has no rule for
 * is refused.
 */
public final class AuthInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Authorizer authorizer;
    private final boolean certificateUsers;

    /**
     * @param authorizer       the server's permission checks (required: there is no default)
     * @param certificateUsers etcd's --client-cert-auth: a verified client certificate's CN names a
     *                         user (on TLS connections; plain-text ones have none)
     */
    public AuthInterceptor(Authorizer authorizer, boolean certificateUsers) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.certificateUsers = certificateUsers;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Caller caller = caller(call, headers);
        ServerCall.Listener<Q> delegate =
                Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
        return new CheckedListener<>(delegate, call, message -> {
            try {
                authorizer.checkAtEdge(caller, call.getMethodDescriptor(), message);
                return null;
            } catch (RuntimeException e) {
                return Rpc.toStatus(e).getStatus();
            }
        });
    }

    private Caller caller(ServerCall<?, ?> call, Metadata headers) {
        String token = headers.get(TOKEN);
        if (token == null) {
            token = headers.get(AUTHORIZATION);
        }
        if (token != null) {
            return new Caller(token, null);
        }
        String user = certificateUsers ? commonName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)) : null;
        return user == null ? Caller.ANONYMOUS : new Caller(null, user);
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
