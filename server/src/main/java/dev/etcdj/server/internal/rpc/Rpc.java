package dev.etcdj.server.internal.rpc;

import dev.etcdj.server.internal.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small helpers to answer unary calls and map failures to etcd's gRPC statuses; shared by every service. */
public final class Rpc {
    private static final Logger LOG = LoggerFactory.getLogger(Rpc.class);

    private Rpc() {
    }

    public static StatusRuntimeException toStatus(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof EtcdException e) {
            return e.toStatus();
        }
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        return Status.UNKNOWN.withDescription(String.valueOf(t.getMessage())).withCause(t).asRuntimeException();
    }

    public static <T> void reply(StreamObserver<T> out, Supplier<T> body) {
        T resp;
        try {
            resp = body.get();
        } catch (RuntimeException e) {
            out.onError(toStatus(e));
            return;
        }
        out.onNext(resp);
        out.onCompleted();
    }

    public static <T> void replyAsync(StreamObserver<T> out, Supplier<CompletableFuture<T>> body) {
        replyAsync(out, body, Rpc::toStatus);
    }

    /** Completes a unary call from a future, its failure mapped to a status by {@code errors}. */
    public static <T> void replyAsync(StreamObserver<T> out, Supplier<CompletableFuture<T>> body,
            Function<Throwable, StatusRuntimeException> errors) {
        CompletableFuture<T> f;
        try {
            f = body.get();
        } catch (RuntimeException e) {
            out.onError(errors.apply(e));
            return;
        }
        f.whenComplete((resp, err) -> {
            try {
                if (err != null) {
                    out.onError(errors.apply(err));
                } else {
                    out.onNext(resp);
                    out.onCompleted();
                }
            } catch (IllegalStateException | StatusRuntimeException alreadyClosed) {
                // the caller went away meanwhile: there is nobody to answer
                LOG.atDebug().setCause(alreadyClosed).log("caller gone before its answer");
            }
        });
    }
}
