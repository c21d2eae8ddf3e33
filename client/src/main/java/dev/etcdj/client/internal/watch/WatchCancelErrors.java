package dev.etcdj.client.internal.watch;

import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.internal.Errors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The error a watch the server cancelled ends with, typed the way unary calls type theirs. Apart
 * from the watch stream's state machine because it is about etcd's wording, not about the stream.
 */
final class WatchCancelErrors {

    private static final Pattern RPC_ERROR = Pattern.compile("rpc error: code = (\\w+) desc = (.*)", Pattern.DOTALL);

    private WatchCancelErrors() {}

    /** The error for a watch the server cancelled: compacted, or its reason, typed as unary calls type it. */
    static EtcdException of(WatchMessage r) {
        if (r.compactRevision() > 0) {
            return new CompactedException(EtcdError.COMPACTED.message(), r.compactRevision(), null);
        }
        String reason = r.cancelReason();
        if (reason.isEmpty()) {
            return new EtcdException(EtcdError.WATCH_CANCELED);
        }
        return reasonError(reason);
    }

    private static EtcdException reasonError(String reason) {
        // etcd wraps gRPC errors as "rpc error: code = PermissionDenied desc = etcdserver: permission denied".
        Matcher m = RPC_ERROR.matcher(reason);
        if (m.matches()) {
            EtcdError known = EtcdError.fromMessage(m.group(2));
            if (known != EtcdError.UNKNOWN) {
                return Errors.fromError(known, m.group(2), null);
            }
            return new EtcdException(code(m.group(1)), m.group(2));
        }
        EtcdError known = EtcdError.fromMessage(reason);
        return known != EtcdError.UNKNOWN ? Errors.fromError(known, reason, null)
                : new EtcdException(EtcdException.Code.CANCELLED, reason);
    }

    /** Go's code names (PermissionDenied) to ours (PERMISSION_DENIED). */
    private static EtcdException.Code code(String goName) {
        String upper = goName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
        if (upper.equals("CANCELED")) {
            upper = "CANCELLED";
        }
        try {
            return EtcdException.Code.valueOf(upper);
        } catch (IllegalArgumentException e) {
            return EtcdException.Code.UNKNOWN;
        }
    }
}
