package dev.etcdj.server.internal;

import io.grpc.BindableService;
import java.util.function.Consumer;

/**
 * Internal extension point for services built inside this module later (Auth, Lock, Election):
 * implementations listed in META-INF/services/dev.etcdj.server.internal.ServerExtension are
 * loaded at start, may install the auth hook ({@link ServerCore#setAuthHook}) and add gRPC
 * services. Not a public API.
 */
public interface ServerExtension {
    void install(ServerCore core, Consumer<BindableService> addService);
}
