package dev.etcdj.client.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdError;
import dev.etcdj.client.MemberException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerUrlsTest {

    @Test
    void acceptsWhatEtcdAccepts() {
        assertThat(PeerUrls.check(List.of("http://127.0.0.1:2380", "https://node-1.example:2380",
                "http://[::1]:2380", " http://localhost:1 ", "unix://sock:1", "HTTP://h:1"))).isNull();
    }

    @Test
    void rejectsWhatWouldCrashOrBeRefused() {
        for (String bad : List.of("::bad", "not a url", "127.0.0.1:2380", "ftp://h:1", "http://h", "http://h:1/p",
                "http://[::1]", "http://h:1:2", "")) {
            MemberException e = PeerUrls.check(List.of("http://ok:1", bad));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.error()).isEqualTo(EtcdError.MEMBER_BAD_URLS);
            assertThat(e.getMessage()).startsWith(EtcdError.MEMBER_BAD_URLS.message() + ": ");
        }
        assertThat(PeerUrls.check(List.of())).isNotNull();
    }
}
