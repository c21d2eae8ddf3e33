package dev.etcdj.server.internal.snapshot;

import dev.etcdj.proto.internal.GoJson;
import java.util.List;

/**
 * The members a snapshot lists in its {@code members} bucket, as etcd's membership store writes
 * them: key = member id in lower-case hex, value = the member as JSON
 * ({@code {"id":N,"peerURLs":[..],"isLearner":true,"name":"..","clientURLs":[..]}}, empty fields left out).
 */
public record MembersBucket(long clusterId, List<Member> members) {

    /** One member; name and client URLs are empty for a member that never started. */
    public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
        public String json() {
            StringBuilder b = new StringBuilder("{\"id\":").append(Long.toUnsignedString(id)).append(",\"peerURLs\":");
            array(b, peerUrls);
            if (learner) {
                b.append(",\"isLearner\":true");
            }
            if (!name.isEmpty()) {
                b.append(",\"name\":");
                string(b, name);
            }
            if (!clientUrls.isEmpty()) {
                b.append(",\"clientURLs\":");
                array(b, clientUrls);
            }
            return b.append('}').toString();
        }
    }

    private static void array(StringBuilder b, List<String> values) {
        if (values == null) {
            b.append("null");
            return;
        }
        b.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, values.get(i));
        }
        b.append(']');
    }

    /** A JSON string as Go's encoding/json writes it (HTML-safe: <, > and & escaped). */
    private static void string(StringBuilder b, String s) {
        GoJson.quote(b, s, true);
    }
}
