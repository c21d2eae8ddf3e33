package dev.etcdj.proto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoJsonTest {

    @Test
    void escapesWhatJsonRequiresInBothModes() {
        String in = "a\"b\\c\nd\re\tf\u0001g\u001f";
        String out = "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001f\"";
        assertThat(GoJson.quote(in, true)).isEqualTo(out);
        assertThat(GoJson.quote(in, false)).isEqualTo(out);
    }

    @Test
    void encodingJsonIsHtmlSafeAndEscapesLineSeparators() {
        // What Go's json.Marshal("<a>&\u2028\u2029") writes.
        assertThat(GoJson.quote("<a>&\u2028\u2029", true)).isEqualTo("\"\\u003ca\\u003e\\u0026\\u2028\\u2029\"");
    }

    @Test
    void zapLeavesHtmlAndLineSeparatorsAlone() {
        assertThat(GoJson.quote("<a>&\u2028\u2029é", false)).isEqualTo("\"<a>&\u2028\u2029é\"");
    }

    @Test
    void appendsToTheBuilderItIsGiven() {
        StringBuilder sb = new StringBuilder("x=");
        assertThat(GoJson.quote(sb, "v", false)).isSameAs(sb);
        assertThat(sb).hasToString("x=\"v\"");
    }
}
