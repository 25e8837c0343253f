package io.taskbound.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The frames a lane and its worker exchange, written and read back as the other side sees them. */
class WorkerProtocolTest {

    private static final WorkerProtocol.Measured MEASURED = new WorkerProtocol.Measured(1, 2, -1, 4, 5);

    private static final List<WorkerProtocol.Message> FRAMES = List.of(
            new WorkerProtocol.Start(null, Map.of()),
            new WorkerProtocol.Start("com.example.Beans", Map.of("spring.profiles.active", "prod", "ä", "✓\n")),
            new WorkerProtocol.Ready(4242),
            new WorkerProtocol.Run(
                    UUID.randomUUID(),
                    "reports.index",
                    "memory",
                    "com.example.Reports",
                    "index",
                    List.of("long", "java.util.List"),
                    "[42,[\"a\\u0000b\"]]",
                    3,
                    Instant.parse("2026-12-01T12:00:00.123456789Z")),
            new WorkerProtocol.Run(UUID.randomUUID(), "noop", "memory", "A", "noop", List.of(), "[]", 1, null),
            new WorkerProtocol.Log("a line with\nnewlines, \u0000 and 💥"),
            new WorkerProtocol.Progress(99),
            new WorkerProtocol.Result(null, MEASURED),
            new WorkerProtocol.Result("{\"rows\":12}", MEASURED),
            new WorkerProtocol.Failed("java.lang.IllegalStateException", null, "at x\n\tat y", true, MEASURED),
            new WorkerProtocol.Bye("closed by the lane"));

    static List<WorkerProtocol.Message> everyKindOfFrame() {
        return FRAMES;
    }

    @ParameterizedTest
    @MethodSource("everyKindOfFrame")
    void everyFrameReadsBackAsItWasWritten(WorkerProtocol.Message message) throws IOException {
        byte[] written = written(message);

        assertThat(WorkerProtocol.read(reading(written))).isEqualTo(message);
    }

    @Test
    void framesFollowEachOtherOnOneStream() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(stream);
        for (WorkerProtocol.Message message : everyKindOfFrame()) {
            WorkerProtocol.write(out, message);
        }

        DataInputStream in = reading(stream.toByteArray());
        for (WorkerProtocol.Message message : everyKindOfFrame()) {
            assertThat(WorkerProtocol.read(in)).isEqualTo(message);
        }
        assertThatThrownBy(() -> WorkerProtocol.read(in)).isInstanceOf(EOFException.class);
    }

    @Test
    void aLineOfTextIsNotAFrame() {
        byte[] printed = "Hello from a library\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WorkerProtocol.read(reading(printed)))
                .isInstanceOf(WorkerProtocol.NotAFrameException.class)
                .hasMessageContaining("something other than the protocol wrote to this stream");
    }

    @Test
    void aFrameWhoseFieldsDoNotFitItsLengthIsNotAFrame() throws IOException {
        byte[] written = written(new WorkerProtocol.Log("twelve bytes"));
        // The same frame, its length four bytes longer than its fields: a string then claims too much.
        byte[] padded = Arrays.copyOf(written, written.length + 4);
        padded[3] += 4;
        byte[] cut = Arrays.copyOf(written, written.length - 3);
        cut[3] -= 3;

        assertThatThrownBy(() -> WorkerProtocol.read(reading(padded)))
                .isInstanceOf(WorkerProtocol.NotAFrameException.class)
                .hasMessageContaining("LOG frame with 4 bytes more than its fields");
        assertThatThrownBy(() -> WorkerProtocol.read(reading(cut)))
                .isInstanceOf(WorkerProtocol.NotAFrameException.class)
                .hasMessageContaining("A string of 12 bytes in a frame of 9 left");
    }

    private static byte[] written(WorkerProtocol.Message message) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        WorkerProtocol.write(new DataOutputStream(stream), message);
        return stream.toByteArray();
    }

    private static DataInputStream reading(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
