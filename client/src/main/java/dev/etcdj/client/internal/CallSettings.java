package dev.etcdj.client.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.time.Duration;

/**
 * What a service view changes about its calls: the default deadline of a unary call
 * ({@code withTimeout}; null for the client's) and whether the call must only be served by a member
 * that has a leader ({@code withRequireLeader}). The views of every service compose through this.
 */
public record CallSettings(Duration timeout, boolean requireLeader) {

    /** The client's own settings: its deadline, its requireLeader. */
    public static final CallSettings NONE = new CallSettings(null, false);

    /** The metadata etcd reads to fail a call at once with "no leader" where its member has none. */
    static final Metadata.Key<String> HAS_LEADER_KEY = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

    /** Set on the options of a call of a {@code withRequireLeader} view; the channel turns it into metadata. */
    static final CallOptions.Key<Boolean> REQUIRE_LEADER = CallOptions.Key.createWithDefault("etcdj-require-leader",
            false);

    /** @throws IllegalArgumentException when {@code timeout} is null, zero or negative */
    CallSettings withTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new CallSettings(timeout, requireLeader);
    }

    CallSettings withRequireLeader() {
        return new CallSettings(timeout, true);
    }

    /** Options of a call under these settings. */
    CallOptions apply(CallOptions options) {
        return requireLeader ? options.withOption(REQUIRE_LEADER, true) : options;
    }

    /**
     * The channel calls go through: sends {@code hasleader} with every call when {@code always} (the
     * client-wide requireLeader), else with the calls of a requireLeader view.
     */
    static Channel leaderHeaders(Channel channel, boolean always) {
        return ClientInterceptors.intercept(channel, new ClientInterceptor() {
            @Override
            public <Q, P> ClientCall<Q, P> interceptCall(MethodDescriptor<Q, P> method, CallOptions options,
                    Channel next) {
                ClientCall<Q, P> call = next.newCall(method, options);
                if (!always && !options.getOption(REQUIRE_LEADER)) {
                    return call;
                }
                return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
                    @Override
                    public void start(Listener<P> listener, Metadata headers) {
                        headers.put(HAS_LEADER_KEY, "true");
                        super.start(listener, headers);
                    }
                };
            }
        });
    }
}
