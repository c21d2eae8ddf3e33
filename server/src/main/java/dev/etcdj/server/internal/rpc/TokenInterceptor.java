package dev.etcdj.server.internal.rpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Copies the "token" (or "authorization") metadata into the gRPC context for the auth hook. */
public final class TokenInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String token = headers.get(TOKEN);
        if (token == null) {
            token = headers.get(AUTHORIZATION);
        }
        if (token == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(AuthHook.TOKEN, token), call, headers, next);
    }
}
