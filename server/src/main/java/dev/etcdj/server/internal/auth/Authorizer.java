package dev.etcdj.server.internal.auth;

import io.grpc.MethodDescriptor;

/**
 * etcd 3.4's permission checks, keyed on the gRPC method a request belongs to. There is no
 * allow-all implementation: a server always runs with the one backed by its auth store, and a
 * method without a rule is refused.
 *
 * <p>Each method's check is made in exactly one place. For most methods that is the gRPC edge
 * ({@link #checkAtEdge}, called by the one server interceptor before the request reaches its
 * service). The rest are checked where the request is served, through {@link #check}: KV requests
 * in the KV layer (which gRPC, Lock, Election and the HTTP gateway all go through), each watch
 * create request on its stream, and the Auth service's admin checks atomically with the change.
 */
public interface Authorizer {

    /**
     * The check the gRPC edge makes before {@code request} reaches its service: the method's rule
     * when it is checked at the edge, nothing when it is checked where it is served.
     *
     * @throws RuntimeException (an EtcdException or gRPC status) to refuse, also for a method without a rule
     */
    void checkAtEdge(Caller caller, MethodDescriptor<?, ?> method, Object request);

    /**
     * The method's rule, run now, for a request checked where it is served.
     *
     * @throws RuntimeException (an EtcdException or gRPC status) to refuse
     */
    void check(Caller caller, MethodDescriptor<?, ?> method, Object request);
}
