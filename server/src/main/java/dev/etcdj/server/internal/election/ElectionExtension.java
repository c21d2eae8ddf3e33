package dev.etcdj.server.internal.election;

import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.ServerExtension;
import dev.etcdj.server.internal.lock.ServerKv;
import io.grpc.BindableService;
import java.util.function.Consumer;

/** Adds etcd's v3electionpb.Election service. */
public final class ElectionExtension implements ServerExtension {
    @Override
    public void install(ServerCore core, Consumer<BindableService> addService) {
        addService.accept(new ElectionService(new ServerKv(core)));
    }
}
