package io.taskbound.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void headersSurviveTheirStoredForm() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("traceparent", TRACEPARENT);
        headers.put("tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        headers.put("baggage", "user=42;meta=a:b");

        String stored = TraceHeaders.encode(headers);

        assertThat(stored).startsWith("traceparent: " + TRACEPARENT + "\n");
        assertThat(TraceHeaders.decode(stored)).containsExactlyEntriesOf(headers);
    }

    @Test
    void noHeadersAreStoredAsNothing() {
        assertThat(TraceHeaders.encode(Map.of())).isNull();
        assertThat(TraceHeaders.decode(null)).isEmpty();
        assertThat(TraceHeaders.decode("not a header\n: nor this")).isEmpty();
    }

    @Test
    void aLineBreakInAValueCannotSplitAHeader() {
        String stored = TraceHeaders.encode(Map.of("baggage", "a=1\nforged: 2"));
        assertThat(TraceHeaders.decode(stored)).containsOnlyKeys("baggage");
    }

    @Test
    void aHeaderLookedUpReadsAsTheWholeHeadersDo() {
        String stored = "traceparent: 00-a\n  tracestate : k=v:w\nnot a header\nbaggage: a=1\nbaggage: b=2";
        Map<String, String> headers = TraceHeaders.decode(stored);

        assertThat(headers.get("tracestate"))
                .as("trimmed, colons kept past the first")
                .isEqualTo("k=v:w");
        assertThat(headers.get("baggage"))
                .as("the last of a header named twice")
                .isEqualTo("b=2");
        assertThat(headers.get("not a header")).isNull();
        assertThat(headers.containsKey("traceparent")).isTrue();
        assertThat(Map.copyOf(headers))
                .isEqualTo(Map.of("traceparent", "00-a", "tracestate", "k=v:w", "baggage", "b=2"));
    }

    @Test
    void aTraceparentIsReadByTheW3cRules() {
        assertThat(Traceparent.parse(TRACEPARENT))
                .isEqualTo(new Traceparent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true));
        assertThat(Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
                        .sampled())
                .isFalse();
        assertThat(Traceparent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later"))
                .as("a later version may add fields")
                .isNotNull();
        assertThat(Traceparent.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isNull();
        assertThat(Traceparent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .isNull();
        assertThat(Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
                .isNull();
        assertThat(Traceparent.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
                .isNull();
        assertThat(Traceparent.parse(null)).isNull();
    }
}
