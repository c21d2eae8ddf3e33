package dev.etcdj.server.internal.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.etcdj.proto.internal.GoJson;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of etcd 3.4's grpc-gateway (golang/protobuf jsonpb with original field names): proto
 * field names, int64 as strings, bytes as base64, defaults left out; and its error bodies.
 */
final class GatewayJson {
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser STRICT = JsonFormat.parser();
    private static final JsonFormat.Parser LENIENT = JsonFormat.parser().ignoringUnknownFields();
    private static final java.util.regex.Pattern BAD_ENUM =
            java.util.regex.Pattern.compile("Invalid enum value: (.*) for enum type: (\\S+)");

    private GatewayJson() {
    }

    static String print(Message m) {
        try {
            return goEscapes(PRINTER.print(m));
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print; etcd's messages have none.
            throw new IllegalStateException("cannot print " + m.getDescriptorForType().getFullName(), e);
        }
    }

    /**
     * Parses one JSON object into {@code b}; an empty body is an empty request, as for the gateway.
     * Unknown fields are skipped like jsonpb does for the gateway, but an unknown enum name is an
     * error, with Go's words.
     */
    static void parse(String json, Message.Builder b) throws InvalidProtocolBufferException {
        if (json.isBlank()) {
            return;
        }
        try {
            STRICT.merge(json, b.clone());
        } catch (InvalidProtocolBufferException e) {
            java.util.regex.Matcher m = BAD_ENUM.matcher(String.valueOf(e.getMessage()));
            if (m.find()) {
                // Go names a nested enum Outer_Inner: etcdserverpb.RangeRequest_SortOrder.
                String type = m.group(2);
                int pkg = type.indexOf('.');
                String goType = type.substring(0, pkg + 1) + type.substring(pkg + 1).replace('.', '_');
                throw new InvalidProtocolBufferException("unknown value " + quote(m.group(1)) + " for enum " + goType);
            }
        }
        LENIENT.merge(json, b);
    }

    /**
     * The top-level JSON values of a streamed request body (the gateway decodes one request after
     * another from the same body). Unbalanced input yields what it has; the parser then reports it.
     */
    static List<String> values(String body) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (depth++ == 0) {
                    start = i;
                }
            } else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
                out.add(body.substring(start, i + 1));
                start = -1;
            }
        }
        if (start >= 0) {
            out.add(body.substring(start));
        }
        return out;
    }

    /** grpc-gateway's error body: {@code {"error":…,"message":…,"code":N}}. */
    static String error(Status status) {
        String msg = status.getDescription() == null ? "" : status.getDescription();
        String q = quote(msg);
        return "{\"error\":" + q + ",\"message\":" + q + ",\"code\":" + status.getCode().value() + "}";
    }

    /** grpc-gateway's error object inside a stream: {@code {"grpc_code","http_code","message","http_status"}}. */
    static String streamError(Status status) {
        int http = httpStatus(status.getCode());
        StringBuilder b = new StringBuilder("{");
        if (status.getCode().value() != 0) {
            b.append("\"grpc_code\":").append(status.getCode().value()).append(',');
        }
        b.append("\"http_code\":").append(http);
        if (status.getDescription() != null && !status.getDescription().isEmpty()) {
            b.append(",\"message\":").append(quote(status.getDescription()));
        }
        return b.append(",\"http_status\":").append(quote(reason(http))).append('}').toString();
    }

    /** Go's http.StatusText for the statuses {@link #httpStatus} yields. */
    private static String reason(int http) {
        return switch (http) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 429 -> "Too Many Requests";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Internal Server Error";
        };
    }

    /**
     * What Go's JSON decoder says about a body that does not parse. A body cut short is
     * "unexpected EOF" as in Go; other mistakes keep the Java parser's description.
     */
    static String parseError(List<String> values, InvalidProtocolBufferException e) {
        if (String.valueOf(e.getMessage()).startsWith("unknown value ")) {
            return e.getMessage();
        }
        for (String v : values) {
            if (values(v).isEmpty() || !values(v).get(0).equals(v.strip()) || unbalanced(v)) {
                return "unexpected EOF";
            }
        }
        return e.getMessage();
    }

    private static boolean unbalanced(String v) {
        String t = v.strip();
        return !(t.endsWith("}") || t.endsWith("]"));
    }

    /** grpc-gateway v1's HTTP status for a gRPC code (runtime.HTTPStatusFromCode). */
    static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 408;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case FAILED_PRECONDITION -> 412;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            default -> 500;
        };
    }

    /** A JSON string as Go's encoding/json writes it (HTML-safe escapes). */
    static String quote(String s) {
        return GoJson.quote(s, true);
    }

    /** An escape not itself escaped: an even run of backslashes, then the escape. */
    private static final java.util.regex.Pattern NOT_GO_ESCAPED =
            java.util.regex.Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u00(3d|27)");

    /** JsonFormat escapes {@code =} and {@code '} in strings; Go does not. */
    private static String goEscapes(String json) {
        if (json.indexOf("\\u003d") < 0 && json.indexOf("\\u0027") < 0) {
            return json;
        }
        return NOT_GO_ESCAPED.matcher(json).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(1) + ("3d".equals(m.group(2)) ? "=" : "'")));
    }
}
