package dev.etcdj.client;

/** The blocking view of a {@link LockClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingLockClient extends BlockingView<LockClient, BlockingLockClient> {

    BlockingLockClient(LockClient locks) {
        super(locks, LockClient::blocking);
    }

    public LockResponse lock(Bytes name, long leaseId) {
        return Futures.await(async.lock(name, leaseId));
    }

    public LockResponse lock(String name, long leaseId) {
        return Futures.await(async.lock(name, leaseId));
    }

    public ResponseHeader unlock(Bytes key) {
        return Futures.await(async.unlock(key));
    }
}
