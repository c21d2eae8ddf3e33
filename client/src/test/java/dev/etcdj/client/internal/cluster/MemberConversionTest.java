package dev.etcdj.client.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Member;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberConversionTest {

    @Test
    void memberFieldsIncludingUnsignedIdsAndLearner() {
        dev.etcdj.proto.etcdserverpb.Member wire = dev.etcdj.proto.etcdserverpb.Member.newBuilder()
                .setID(0x8e9e05c52164694dL).setName("m0").addPeerURLs("http://127.0.0.1:2380")
                .addClientURLs("http://127.0.0.1:2379").setIsLearner(true).build();

        Member m = ClusterClientImpl.member(wire);

        assertThat(m).isEqualTo(new Member(0x8e9e05c52164694dL, "m0", List.of("http://127.0.0.1:2380"),
                List.of("http://127.0.0.1:2379"), true));
        assertThat(Long.toUnsignedString(m.id(), 16)).isEqualTo("8e9e05c52164694d");
    }

    @Test
    void unstartedMemberHasNoNameAndNoClientUrls() {
        Member m = ClusterClientImpl.member(dev.etcdj.proto.etcdserverpb.Member.newBuilder().setID(7)
                .addPeerURLs("http://127.0.0.1:1").build());
        assertThat(m.name()).isEmpty();
        assertThat(m.clientUrls()).isEmpty();
        assertThat(m.learner()).isFalse();
    }
}
