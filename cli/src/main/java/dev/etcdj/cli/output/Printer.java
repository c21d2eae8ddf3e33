package dev.etcdj.cli.output;

import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseListResponse;
import dev.etcdj.client.LeaseRevokeResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.WatchEvent;
import java.util.List;

/** etcdctl's printer interface: one method per response, one implementation per {@code --write-out} format. */
public interface Printer {

    void get(GetResponse r);

    void put(PutResponse r);

    void del(DeleteResponse r);

    void txn(TxnResponse r);

    /**
     * One watch response as etcdctl's clientv3.WatchResponse: events, or none for a progress notification
     * or a cancellation (then with the compact revision that caused it, if any).
     */
    void watch(ResponseHeader header, List<WatchEvent> events, long compactRevision, boolean canceled);

    void grant(LeaseGrantResponse r);

    void revoke(long leaseId, LeaseRevokeResponse r);

    void keepAlive(LeaseKeepAliveResponse r);

    void timeToLive(LeaseTimeToLiveResponse r, boolean keys);

    void leases(LeaseListResponse r);
}
