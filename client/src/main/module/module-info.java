/**
 * The etcdj client. Only {@code dev.etcdj.client} is exported; the implementation and the gRPC,
 * protobuf and Netty it carries (relocated under {@code dev.etcdj.client.internal.shaded}) are not.
 * The {@code uses}/{@code provides} pairs are the relocated gRPC's own service providers: on the
 * module path a service is found only when the module declares it.
 */
module dev.etcdj.client {
    requires java.logging;      // gRPC and Netty log through java.util.logging
    requires jdk.unsupported;   // sun.misc.Unsafe: protobuf's and Netty's fast paths
    requires java.naming;       // DNS SRV discovery asks DNS through JNDI (the jdk.naming.dns provider)
    requires org.slf4j;         // the client logs through SLF4J (its classes failed to load on the module path without this)

    exports dev.etcdj.client;

    uses dev.etcdj.client.internal.shaded.io.grpc.ManagedChannelProvider;
    uses dev.etcdj.client.internal.shaded.io.grpc.ServerProvider;
    uses dev.etcdj.client.internal.shaded.io.grpc.NameResolverProvider;
    uses dev.etcdj.client.internal.shaded.io.grpc.LoadBalancerProvider;

    provides dev.etcdj.client.internal.shaded.io.grpc.ManagedChannelProvider with
            dev.etcdj.client.internal.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyChannelProvider,
            dev.etcdj.client.internal.shaded.io.grpc.netty.shaded.io.grpc.netty.UdsNettyChannelProvider;
    provides dev.etcdj.client.internal.shaded.io.grpc.ServerProvider with
            dev.etcdj.client.internal.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyServerProvider;
    provides dev.etcdj.client.internal.shaded.io.grpc.NameResolverProvider with
            dev.etcdj.client.internal.shaded.io.grpc.netty.shaded.io.grpc.netty.UdsNameResolverProvider,
            dev.etcdj.client.internal.shaded.io.grpc.internal.DnsNameResolverProvider;
    provides dev.etcdj.client.internal.shaded.io.grpc.LoadBalancerProvider with
            dev.etcdj.client.internal.shaded.io.grpc.util.SecretRoundRobinLoadBalancerProvider.Provider,
            dev.etcdj.client.internal.shaded.io.grpc.util.OutlierDetectionLoadBalancerProvider,
            dev.etcdj.client.internal.shaded.io.grpc.util.RandomSubsettingLoadBalancerProvider,
            dev.etcdj.client.internal.shaded.io.grpc.internal.PickFirstLoadBalancerProvider;
}
