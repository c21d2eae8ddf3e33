package dev.etcdj.server.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.server.internal.EtcdException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Peer URL validation follows etcd's types.NewURLs on top of Go's net/url. */
class MemberUrlsTest {

    @Test
    void acceptsWhatEtcdAcceptsAndPrintsItLikeGo() {
        assertThat(ClusterService.parseUrls(List.of(" http://127.0.0.1:9 ", "HTTPS://[::1]:2380", "unix://sock:1",
                "http://u@h:1", "http://h:", "http://:1", "http://h:1?q=1")))
                .containsExactly("http://127.0.0.1:9", "http://:1", "http://h:", "http://h:1?q=1", "http://u@h:1",
                        "https://[::1]:2380", "unix://sock:1");
    }

    @Test
    void rejectsWhatEtcdRejects() {
        for (String bad : List.of("", "127.0.0.1:9", "ftp://h:1", "http://h", "http://h:1/", "http://h:1/x",
                "http://h:abc", "http://a:b:1", "http:h:1", "://h:1", "http://h h:1", "http://h\u0001:1", "http://[::1]",
                "http://[::1:1")) {
            assertThatThrownBy(() -> ClusterService.parseUrls(List.of(bad))).as(bad)
                    .isInstanceOf(EtcdException.class).hasMessageContaining("given member URLs are invalid");
        }
        assertThatThrownBy(() -> ClusterService.parseUrls(List.of()))
                .hasMessageContaining("given member URLs are invalid");
    }

    @Test
    void memberIdsAreEtcdsHashOfUrlsAndTime() {
        // Computed with Go 1.19 the way etcd's membership.NewMember does.
        assertThat(Long.toHexString(ClusterService.newMemberId(List.of("http://127.0.0.1:19", "http://127.0.0.1:9"),
                1700000000L))).isEqualTo("85a3581b9ce53d46");
    }
}
