package dev.etcdj.recipes;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.CampaignResponse;
import dev.etcdj.client.ElectionClient;
import dev.etcdj.client.ElectionListener;
import dev.etcdj.client.ElectionObservation;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.LeaderKey;
import dev.etcdj.client.LeaderResponse;
import dev.etcdj.client.LockClient;
import dev.etcdj.client.LockResponse;
import dev.etcdj.client.ResponseHeader;
import java.util.concurrent.CompletableFuture;

/**
 * The lock and election services of a {@link Namespace}: lock and election names are keys, so they
 * live under the prefix, and the keys the server answers with are given back without it.
 */
final class NamespacedServices {

    private NamespacedServices() {}

    static final class Locks extends Wrapper.Namespaced<LockClient> implements LockClient {
        Locks(LockClient locks, KeyPrefix pfx) {
            super(locks, pfx, Locks::new);
        }

        @Override
        public CompletableFuture<LockResponse> lock(Bytes name, long leaseId) {
            return inner.lock(pfx.key(name), leaseId).thenApply(r -> new LockResponse(r.header(), pfx.strip(r.key())));
        }

        @Override
        public CompletableFuture<ResponseHeader> unlock(Bytes key) {
            return inner.unlock(pfx.key(key));
        }
    }

    static final class Elections extends Wrapper.Namespaced<ElectionClient> implements ElectionClient {
        Elections(ElectionClient elections, KeyPrefix pfx) {
            super(elections, pfx, Elections::new);
        }

        private LeaderKey outward(LeaderKey k) {
            return new LeaderKey(pfx.strip(k.name()), pfx.strip(k.key()), k.revision(), k.lease());
        }

        private LeaderKey inward(LeaderKey k) {
            return new LeaderKey(pfx.key(k.name()), pfx.key(k.key()), k.revision(), k.lease());
        }

        private LeaderResponse outward(LeaderResponse r) {
            return new LeaderResponse(r.header(), pfx.strip(r.kv()));
        }

        @Override
        public CompletableFuture<CampaignResponse> campaign(Bytes name, long leaseId, Bytes value) {
            return inner.campaign(pfx.key(name), leaseId, value)
                    .thenApply(r -> new CampaignResponse(r.header(), outward(r.leader())));
        }

        @Override
        public CompletableFuture<ResponseHeader> proclaim(LeaderKey leader, Bytes value) {
            return inner.proclaim(inward(leader), value);
        }

        @Override
        public CompletableFuture<LeaderResponse> leader(Bytes name) {
            return inner.leader(pfx.key(name)).thenApply(this::outward);
        }

        @Override
        public ElectionObservation observe(Bytes name, ElectionListener listener) {
            ElectionObservation o = inner.observe(pfx.key(name), new ElectionListener() {
                @Override
                public void onLeader(LeaderResponse leader) {
                    listener.onLeader(outward(leader));
                }

                @Override
                public void onError(EtcdException error) {
                    listener.onError(error);
                }

                @Override
                public void onClosed() {
                    listener.onClosed();
                }
            });
            return new ElectionObservation() {
                @Override
                public Bytes name() {
                    return name;
                }

                @Override
                public CompletableFuture<Void> terminated() {
                    return o.terminated();
                }

                @Override
                public void close() {
                    o.close();
                }
            };
        }

        @Override
        public CompletableFuture<ResponseHeader> resign(LeaderKey leader) {
            return inner.resign(inward(leader));
        }
    }
}
