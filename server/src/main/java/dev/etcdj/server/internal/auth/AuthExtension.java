package dev.etcdj.server.internal.auth;

import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.ServerExtension;
import io.grpc.BindableService;
import java.util.function.Consumer;

/**
 * Installs etcd's auth: the Auth gRPC service and the permission hook every other service calls.
 * The simple-token TTL (etcd's --auth-token-ttl, default 300 s) is read from the system property
 * {@code etcdj.authTokenTtl} in seconds, as the public builder has no option for it.
 */
public final class AuthExtension implements ServerExtension {
    public static final String TOKEN_TTL_PROPERTY = "etcdj.authTokenTtl";
    static final long DEFAULT_TOKEN_TTL_SECONDS = 300;

    @Override
    public void install(ServerCore core, Consumer<BindableService> addService) {
        AuthStore store = new AuthStore(core, tokenTtlSeconds());
        core.setAuthHook(new AuthGuard(store));
        addService.accept(new AuthService(core, store));
    }

    static long tokenTtlSeconds() {
        String v = System.getProperty(TOKEN_TTL_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_TOKEN_TTL_SECONDS;
        }
        try {
            long ttl = Long.parseLong(v.trim());
            if (ttl <= 0) {
                throw new NumberFormatException("not positive");
            }
            return ttl;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TOKEN_TTL_PROPERTY + " must be a positive number of seconds: " + v, e);
        }
    }
}
