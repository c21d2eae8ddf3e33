package dev.etcdj.client.internal;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.MoreExecutors;
import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.proto.etcdserverpb.AuthenticateResponse;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts etcd's auth token into every call and stream (metadata key {@code token}). The token is
 * fetched with Auth/Authenticate on first use and again after {@link #invalidate()}; concurrent
 * calls share one Authenticate. Streams reopened later pick up the token current then.
 */
final class TokenCredentials extends CallCredentials {

    /** The "token" of a cluster with auth disabled: send none. */
    private static final String NO_TOKEN = "";

    private final TransportState state;
    private final AuthenticateRequest request;
    private final long timeoutNanos;
    private final AtomicReference<CompletableFuture<String>> token = new AtomicReference<>();

    TokenCredentials(TransportState state, ClientConfig config) {
        this.state = state;
        this.request = AuthenticateRequest.newBuilder()
                .setName(config.user().orElseThrow())
                .setPassword(config.password().orElseThrow())
                .build();
        this.timeoutNanos = config.requestTimeout().toNanos();
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor appExecutor, MetadataApplier applier) {
        token().whenComplete((t, error) -> {
            if (error == null) {
                Metadata md = new Metadata();
                if (!t.isEmpty()) {
                    md.put(GrpcTransport.TOKEN_KEY, t);
                }
                applier.apply(md);
            } else {
                // Keep the status code (UNAVAILABLE makes the call retryable) and our typed error as cause.
                Status s = Errors.statusOf(error);
                EtcdException mapped = Errors.toEtcdException(error);
                applier.fail((s != null ? s : Status.UNAUTHENTICATED).withDescription(mapped.getMessage())
                        .withCause(mapped));
            }
        });
    }

    /** Forgets the current token, so the next call authenticates again. */
    void invalidate() {
        CompletableFuture<String> t = token.get();
        if (t != null && t.isDone()) {
            token.compareAndSet(t, null);
        }
    }

    private CompletableFuture<String> token() {
        while (true) {
            CompletableFuture<String> t = token.get();
            if (t != null && !t.isCompletedExceptionally()) {
                return t;
            }
            CompletableFuture<String> mine = new CompletableFuture<>();
            if (token.compareAndSet(t, mine)) {
                authenticate(mine);
                return mine;
            }
        }
    }

    private void authenticate(CompletableFuture<String> result) {
        if (state.isClosed()) {
            result.completeExceptionally(new dev.etcdj.client.ClientClosedException());
            return;
        }
        try {
            var call = AuthGrpc.newFutureStub(state.anyChannel())
                    .withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
                    .authenticate(request);
            com.google.common.util.concurrent.Futures.addCallback(call, new FutureCallback<AuthenticateResponse>() {
                @Override
                public void onSuccess(AuthenticateResponse r) {
                    if (!r.getToken().isEmpty()) {
                        state.events.tokenRenewed(request.getName());
                    }
                    result.complete(r.getToken());
                }

                @Override
                public void onFailure(Throwable t) {
                    // Like clientv3: credentials for a cluster without auth are not an error; calls
                    // go without a token until the server asks for one ("user name is empty").
                    if (Errors.etcdError(t) == EtcdError.AUTH_NOT_ENABLED) {
                        result.complete(NO_TOKEN);
                    } else {
                        result.completeExceptionally(t);
                    }
                }
            }, MoreExecutors.directExecutor());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }
}
