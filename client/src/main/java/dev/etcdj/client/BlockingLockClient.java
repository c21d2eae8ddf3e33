package dev.etcdj.client;

/** The blocking view of a {@link LockClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingLockClient {

    private final LockClient locks;

    BlockingLockClient(LockClient locks) {
        this.locks = locks;
    }

    public LockResponse lock(Bytes name, long leaseId) {
        return Futures.await(locks.lock(name, leaseId));
    }

    public LockResponse lock(String name, long leaseId) {
        return Futures.await(locks.lock(name, leaseId));
    }

    public ResponseHeader unlock(Bytes key) {
        return Futures.await(locks.unlock(key));
    }
}
