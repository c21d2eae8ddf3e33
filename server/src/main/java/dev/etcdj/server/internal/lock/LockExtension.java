package dev.etcdj.server.internal.lock;

import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.ServerExtension;
import io.grpc.BindableService;
import java.util.function.Consumer;

/** Adds etcd's v3lockpb.Lock service. */
public final class LockExtension implements ServerExtension {
    @Override
    public void install(ServerCore core, Consumer<BindableService> addService) {
        addService.accept(new LockService(new ServerKv(core)));
    }
}
