package dev.etcdj.server.internal.mvcc;

/** What the KV layer needs from the lessor (called on the apply thread). */
public interface LeaseHooks {
    boolean exists(long leaseId);

    void attach(long leaseId, byte[] key);

    void detach(long leaseId, byte[] key);

    LeaseHooks NONE = new LeaseHooks() {
        @Override
        public boolean exists(long leaseId) {
            return false;
        }

        @Override
        public void attach(long leaseId, byte[] key) {
        }

        @Override
        public void detach(long leaseId, byte[] key) {
        }
    };
}
