package dev.etcdj.client.internal.cluster;

import dev.etcdj.client.EtcdError;
import dev.etcdj.client.MemberException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks peer URLs the way etcd's {@code types.NewURLs} does, before they are sent. etcd 3.4
 * validates the URLs of MemberAdd but not of MemberUpdate: an update to an unparsable URL is
 * committed and then crashes every member that applies it ("rafthttp: newURLs [...] should never
 * fail"; seen with 3.4.23). clientv3 checks them for the same reason.
 */
final class PeerUrls {

    private static final Set<String> SCHEMES = Set.of("http", "https", "unix", "unixs");

    private PeerUrls() {}

    /** Null when every URL is acceptable, else why the first bad one is not. */
    static MemberException check(List<String> urls) {
        if (urls == null || urls.isEmpty()) {
            return bad("no valid URLs given");
        }
        for (String raw : urls) {
            String in = raw == null ? "" : raw.strip();
            URI u;
            try {
                u = new URI(in);
            } catch (URISyntaxException e) {
                return bad("invalid URL " + in + ": " + e.getReason());
            }
            if (u.getScheme() == null || !SCHEMES.contains(u.getScheme().toLowerCase(Locale.ROOT))) {
                return bad("URL scheme must be http, https, unix, or unixs: " + in);
            }
            if (!hasHostAndPort(u.getRawAuthority())) {
                return bad("URL address does not have the form \"host:port\": " + in);
            }
            if (u.getRawPath() != null && !u.getRawPath().isEmpty()) {
                return bad("URL must not contain a path: " + in);
            }
        }
        return null;
    }

    /** Go's net.SplitHostPort accepts "host:port" and "[v6]:port" (the port may be empty). */
    private static boolean hasHostAndPort(String authority) {
        if (authority == null) {
            return false;
        }
        authority = authority.substring(authority.lastIndexOf('@') + 1); // user info is not the host
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close > 0 && authority.indexOf(':', close) == close + 1;
        }
        int colon = authority.indexOf(':');
        return colon >= 0 && colon == authority.lastIndexOf(':');
    }

    private static MemberException bad(String detail) {
        return new MemberException(EtcdError.MEMBER_BAD_URLS, EtcdError.MEMBER_BAD_URLS.message() + ": " + detail,
                null);
    }
}
