package io.taskbound.process;

import io.taskbound.RunFigures;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a process lane and its worker JVM say to each other over the worker's stdin and stdout.
 *
 * <p>A frame is a 4-byte big-endian length, a type byte and that many bytes of UTF-8 JSON: one of
 * the records below. The lane's first frame is {@link Start}; the worker says {@link Ready} once it
 * has started what it was told to; the lane sends one {@link Run} at a
 * time; the worker answers with any number of {@link Log} and {@link Progress} frames and then
 * exactly one {@link Result} or {@link Failed}. {@link Bye} from the lane asks the worker to exit,
 * and the worker answers it with a {@code Bye} of its own before it does. A worker whose stdout
 * ends, or that writes something that is not a frame, before it answered a run has died with it.
 *
 * <p>Lengths are framed, not lines, so that a log line or a result may hold any character; JSON
 * rather than a binary layout keeps the records readable in a hex dump and lets fields be added.
 */
final class WorkerProtocol {

    /** The largest frame either side accepts: a result or arguments as large as PostgreSQL stores. */
    static final int MAX_FRAME_BYTES = 256 * 1024 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WorkerProtocol() {}

    enum Type {
        START('B', Start.class),
        READY('R', Ready.class),
        RUN('J', Run.class),
        LOG('L', Log.class),
        PROGRESS('P', Progress.class),
        RESULT('S', Result.class),
        FAILED('F', Failed.class),
        BYE('Q', Bye.class);

        final byte code;
        final Class<? extends Message> payload;

        Type(char code, Class<? extends Message> payload) {
            this.code = (byte) code;
            this.payload = payload;
        }

        static @Nullable Type of(byte code) {
            for (Type type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            return null;
        }

        static Type of(Message message) {
            for (Type type : values()) {
                if (type.payload == message.getClass()) {
                    return type;
                }
            }
            throw new IllegalArgumentException("Not a protocol message: " + message);
        }
    }

    sealed interface Message permits Start, Ready, Run, Log, Progress, Result, Failed, Bye {}

    /**
     * The lane's first frame to a new worker: how the worker makes the objects its jobs run on.
     * {@code beans} names a {@link WorkerBeans.Source} with a public no-arg constructor, which gets
     * {@code settings}; null for objects made by their classes' public no-arg constructors.
     */
    record Start(@Nullable String beans, Map<String, String> settings) implements Message {}

    /** The worker has started, made what its jobs need, and waits for a run. */
    record Ready(long pid) implements Message {}

    /**
     * Run a job: call {@code method} (with {@code parameterTypes}, by class name) on an instance of
     * {@code beanClass}, with the arguments decoded from {@code argumentsJson}.
     */
    record Run(
            UUID jobId,
            String jobName,
            String lane,
            String beanClass,
            String method,
            List<String> parameterTypes,
            String argumentsJson,
            int attempt,
            @Nullable Instant fireTime)
            implements Message {}

    record Log(String message) implements Message {}

    record Progress(int percent) implements Message {}

    /**
     * What the worker measured of one run: wall and CPU time and bytes allocated of the job's thread,
     * the peak of the worker's heap during the run (the sum of the heap pools' peaks), and the heap in
     * use once the run ended, by which the lane recycles workers; each -1 when not measurable. The
     * lane stores all but the wall time, which the engine measures itself, and the heap in use.
     */
    record Measured(long wallNanos, long cpuNanos, long allocatedBytes, long peakHeapBytes, long heapUsedBytes) {

        /** The figures the engine stores of the run. */
        RunFigures figures() {
            return new RunFigures(
                    cpuNanos < 0 ? null : Duration.ofNanos(cpuNanos),
                    allocatedBytes < 0 ? null : allocatedBytes,
                    peakHeapBytes < 0 ? null : peakHeapBytes);
        }
    }

    /** The job returned; {@code resultJson} is null for a procedure. */
    record Result(@Nullable String resultJson, Measured measured) implements Message {}

    /** The job threw, or could not be called; the worker goes on. */
    record Failed(String type, @Nullable String message, String stackTrace, boolean retryable, Measured measured)
            implements Message {}

    /** Goodbye: from the lane, exit now; from the worker, its answer, the last frame it writes. */
    record Bye(String reason) implements Message {}

    static void write(DataOutputStream out, Message message) throws IOException {
        byte[] payload = JSON.writeValueAsBytes(message);
        out.writeInt(payload.length);
        out.writeByte(Type.of(message).code);
        out.write(payload);
        out.flush();
    }

    /**
     * The next message; throws {@link EOFException} when the stream ends before one, and {@link
     * NotAFrameException} for bytes that are not a frame.
     */
    static Message read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME_BYTES) {
            throw new NotAFrameException("A frame of " + length + " bytes (first bytes " + hex(length)
                    + "): something other than the protocol wrote to this stream");
        }
        byte code = in.readByte();
        Type type = Type.of(code);
        if (type == null) {
            throw new NotAFrameException("A frame of unknown type " + (code & 0xff) + " (length " + length
                    + "): something other than the protocol wrote to this stream");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        try {
            return JSON.readValue(payload, type.payload);
        } catch (RuntimeException e) {
            throw new NotAFrameException("A " + type + " frame that cannot be read: " + e.getMessage());
        }
    }

    private static String hex(int length) {
        return String.format("%08x", length);
    }

    /** Bytes in the stream that are not a frame: the stream cannot be trusted any more. */
    static final class NotAFrameException extends IOException {
        NotAFrameException(String message) {
            super(message);
        }
    }
}
