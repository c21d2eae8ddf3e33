package dev.etcdj.client.internal;

import dev.etcdj.client.KvClient;

/**
 * A KV client that can give the blocking view a twin whose futures complete on the network thread:
 * safe there, since only the thread blocked on a future ever sees it, and one thread wake-up less
 * per call.
 */
public interface BlockingWaits {

    /** The same client (endpoints, deadline) for futures nobody but a blocked caller will see. */
    KvClient forBlockingWaits();
}
