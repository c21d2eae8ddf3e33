package dev.etcdj.server.internal.auth;

import io.grpc.Context;

/**
 * Who makes a request: the auth token it carries (gRPC metadata "token", or the HTTP gateway's
 * Authorization header), else the Common Name of its verified client certificate when the server
 * runs with client certificate auth, else nobody. Only an {@link Authorizer} turns this into a user.
 *
 * @param token    the token as sent, or null
 * @param certUser the certificate's Common Name, or null (ignored when a token is present)
 */
public record Caller(String token, String certUser) {
    /** A request that names nobody: refused by every check that needs a user while auth is enabled. */
    public static final Caller ANONYMOUS = new Caller(null, null);

    /** Where the gRPC edge ({@code rpc.AuthInterceptor}) leaves the caller of the current call. */
    public static final Context.Key<Caller> KEY = Context.key("etcdj-caller");

    /** The caller of the gRPC call running on this thread; anonymous outside one. */
    public static Caller current() {
        Caller c = KEY.get();
        return c == null ? ANONYMOUS : c;
    }
}
