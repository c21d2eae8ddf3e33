package dev.etcdj.recipes;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.ResponseHeader;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a {@link Mutex} and an {@link Election} stand on: a session, and that session's key in the
 * queue under a name, {@code <prefix>/<lease id in hex>} as in Go's {@code concurrency} package.
 */
abstract class SessionKey {

    final Session session;
    final EtcdClient client;
    /** The name plus "/": the queue's keys. */
    final Bytes prefix;
    /** This session's key in the queue. */
    final Bytes myKey;

    SessionKey(Session session, String prefix) {
        this.session = Objects.requireNonNull(session, "session");
        this.client = session.client();
        this.prefix = Bytes.of(prefix + "/");
        this.myKey = this.prefix.concat(Bytes.of(Waits.hex(session.leaseId())));
    }

    /**
     * Waits for this session's turn in the queue: once every key queued before {@code myRevision}
     * is gone, and our own key is still there (and, when {@code sameCreation}, still the one created
     * at {@code myRevision}), runs {@code onTurn} with the header of that moment and completes
     * {@code result}. When the key went with the session meanwhile, runs {@code onLost} and fails
     * {@code result} with {@link SessionExpiredException}.
     */
    final void awaitTurn(long myRevision, boolean sameCreation, CompletableFuture<Void> result,
            Consumer<ResponseHeader> onTurn, Runnable onLost) {
        Waits.waitDeletes(client, prefix, myRevision - 1, result).whenComplete((hdr, werr) -> {
            if (werr != null) {
                result.completeExceptionally(Waits.unwrap(werr));
                return;
            }
            client.kv().get(myKey).whenComplete((g, gerr) -> {
                if (gerr != null) {
                    result.completeExceptionally(Waits.unwrap(gerr));
                } else if (g.kvs().isEmpty() || sameCreation && g.kvs().get(0).createRevision() != myRevision) {
                    onLost.run();
                    result.completeExceptionally(new SessionExpiredException());
                } else {
                    onTurn.accept(hdr);
                    result.complete(null);
                }
            });
        });
    }
}
