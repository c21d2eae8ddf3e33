package dev.etcdj.server.internal.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.etcdj.proto.etcdserverpb.AuthUserAddRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayJsonTest {

    @Test
    void printsLikeJsonpbWithOriginalNames() {
        String json = GatewayJson.print(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("foo"))
                .setRangeEnd(ByteString.copyFromUtf8("fop")).setLimit(2).setKeysOnly(true).build());
        assertThat(json).isEqualTo("{\"key\":\"Zm9v\",\"range_end\":\"Zm9w\",\"limit\":\"2\",\"keys_only\":true}");
        assertThat(GatewayJson.print(ResponseHeader.newBuilder().setClusterId(-1L).build()))
                .as("uint64 above Long.MAX_VALUE").isEqualTo("{\"cluster_id\":\"18446744073709551615\"}");
    }

    @Test
    void base64PaddingAndStringsKeepGoEscapes() {
        String json = GatewayJson.print(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("ab"))
                .setValue(ByteString.copyFromUtf8("a")).build());
        assertThat(json).isEqualTo("{\"key\":\"YWI=\",\"value\":\"YQ==\"}");
        assertThat(GatewayJson.print(AuthUserAddRequest.newBuilder().setName("a='b'").setPassword("\\u003d").build()))
                .isEqualTo("{\"name\":\"a='b'\",\"password\":\"\\\\u003d\"}");
        assertThat(GatewayJson.quote("a=b 'c' <d> & \"e\"\n")).isEqualTo("\"a=b 'c' \\u003cd\\u003e \\u0026 \\\"e\\\"\\n\"");
    }

    @Test
    void parsesBothNamesSkipsUnknownFieldsAndRejectsUnknownEnumsInGoWords() throws Exception {
        RangeRequest.Builder b = RangeRequest.newBuilder();
        GatewayJson.parse("{\"key\":\"Zm9v\",\"rangeEnd\":\"Zm9w\",\"limit\":\"3\",\"nope\":1}", b);
        assertThat(b.getRangeEnd().toStringUtf8()).isEqualTo("fop");
        assertThat(b.getLimit()).isEqualTo(3);
        GatewayJson.parse("", RangeRequest.newBuilder());
        assertThatThrownBy(() -> GatewayJson.parse("{\"key\":\"Zm9v\",\"sort_order\":\"SIDEWAYS\"}", RangeRequest.newBuilder()))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessage("unknown value \"SIDEWAYS\" for enum etcdserverpb.RangeRequest_SortOrder");
    }

    @Test
    void splitsAStreamedBodyIntoItsJsonValues() {
        assertThat(GatewayJson.values("{\"a\":\"}{\"}\n{\"b\":{\"c\":1}} {\"d\":"))
                .containsExactly("{\"a\":\"}{\"}", "{\"b\":{\"c\":1}}", "{\"d\":");
        assertThat(GatewayJson.parseError(List.of("{\"key\":"), new InvalidProtocolBufferException("x")))
                .isEqualTo("unexpected EOF");
    }

    @Test
    void errorsCarryGrpcGatewaysStatusAndBody() {
        Status s = Status.NOT_FOUND.withDescription("etcdserver: requested lease not found");
        assertThat(GatewayJson.httpStatus(s.getCode())).isEqualTo(404);
        assertThat(GatewayJson.error(s)).isEqualTo("{\"error\":\"etcdserver: requested lease not found\","
                + "\"message\":\"etcdserver: requested lease not found\",\"code\":5}");
        assertThat(GatewayJson.httpStatus(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(429);
        assertThat(GatewayJson.httpStatus(Status.Code.FAILED_PRECONDITION)).isEqualTo(412);
        assertThat(GatewayJson.httpStatus(Status.Code.UNAUTHENTICATED)).isEqualTo(401);
        assertThat(GatewayJson.streamError(Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied")))
                .isEqualTo("{\"grpc_code\":7,\"http_code\":403,\"message\":\"etcdserver: permission denied\","
                        + "\"http_status\":\"Forbidden\"}");
    }
}
