package dev.etcdj.server.internal.rpc;

import com.google.protobuf.Message;

/**
 * The single place where every RPC's permission check goes. Called by each service before it
 * acts, with the full method name (e.g. "etcdserverpb.KV/Range") and the request message (null
 * for stream RPCs at open; each watch create request is checked separately as
 * "etcdserverpb.Watch/Watch"). The token (gRPC metadata "token"), if any, is in {@link #TOKEN};
 * without one, under client certificate auth, the certificate's Common Name is in {@link #CERT_USER}.
 * Throw an {@link dev.etcdj.server.internal.EtcdException} to refuse. The default allows all.
 */
@FunctionalInterface
public interface AuthHook {
    io.grpc.Context.Key<String> TOKEN = io.grpc.Context.key("etcdj-token");
    io.grpc.Context.Key<String> CERT_USER = io.grpc.Context.key("etcdj-cert-user");

    void check(String method, Message request);

    AuthHook ALLOW_ALL = (method, request) -> {
    };
}
