package io.taskbound.process;

import io.taskbound.RunFigures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a process lane and its worker JVM say to each other over the worker's stdin and stdout.
 *
 * <p>A frame is a 4-byte big-endian length, a type byte and that many bytes of the fields of one of
 * the records below, in their order: strings as a 4-byte length (-1 for none) and UTF-8 bytes,
 * numbers big-endian, an instant as seconds and nanoseconds after a byte that says whether there is
 * one, a list or map as a 4-byte count and its strings. The lane's first frame is {@link Start}; the worker says {@link Ready} once it
 * has started what it was told to; the lane sends one {@link Run} at a
 * time; the worker answers with any number of {@link Log} and {@link Progress} frames and then
 * exactly one {@link Result} or {@link Failed}. {@link Bye} from the lane asks the worker to exit,
 * and the worker answers it with a {@code Bye} of its own before it does. A worker whose stdout
 * ends, or that writes something that is not a frame, before it answered a run has died with it.
 *
 * <p>Lengths are framed, not lines, so that a log line or a result may hold any character. Fields
 * are written by hand rather than as JSON: a worker runs few jobs in its life, mostly before the
 * JIT has compiled anything, and a JSON mapper's first few hundred frames cost a job more than the
 * job's own pipes do. Both ends are the same build (the worker runs the application's classpath),
 * so the layout carries no version.
 */
final class WorkerProtocol {

    /** The largest frame either side accepts: a result or arguments as large as PostgreSQL stores. */
    static final int MAX_FRAME_BYTES = 256 * 1024 * 1024;

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
        Payload payload = new Payload();
        payload.put(message);
        out.writeInt(payload.size());
        out.writeByte(Type.of(message).code);
        payload.writeTo(out);
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
        DataInputStream fields = new DataInputStream(new ByteArrayInputStream(payload));
        try {
            Message message = take(type, fields);
            if (fields.available() > 0) {
                throw new NotAFrameException("A " + type + " frame with " + fields.available()
                        + " bytes more than its fields: something other than the protocol wrote to this stream");
            }
            return message;
        } catch (EOFException | UTFDataFormatException | RuntimeException e) {
            throw new NotAFrameException("A " + type + " frame that cannot be read: " + e);
        }
    }

    private static Message take(Type type, DataInputStream in) throws IOException {
        return switch (type) {
            case START -> new Start(nullableString(in), map(in));
            case READY -> new Ready(in.readLong());
            case RUN ->
                new Run(
                        new UUID(in.readLong(), in.readLong()),
                        string(in),
                        string(in),
                        string(in),
                        string(in),
                        strings(in),
                        string(in),
                        in.readInt(),
                        in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null);
            case LOG -> new Log(string(in));
            case PROGRESS -> new Progress(in.readInt());
            case RESULT -> new Result(nullableString(in), measured(in));
            case FAILED -> new Failed(string(in), nullableString(in), string(in), in.readBoolean(), measured(in));
            case BYE -> new Bye(string(in));
        };
    }

    private static Measured measured(DataInputStream in) throws IOException {
        return new Measured(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    private static String string(DataInputStream in) throws IOException {
        String value = nullableString(in);
        if (value == null) {
            throw new NotAFrameException("A frame without a string where one must be");
        }
        return value;
    }

    private static @Nullable String nullableString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw new NotAFrameException("A string of " + length + " bytes in a frame of " + in.available() + " left");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int count = count(in);
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(string(in));
        }
        return List.copyOf(values);
    }

    private static Map<String, String> map(DataInputStream in) throws IOException {
        int count = count(in);
        Map<String, String> entries = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            entries.put(string(in), string(in));
        }
        return Collections.unmodifiableMap(entries);
    }

    // Each entry takes at least four bytes, so a count past that is not one the lane wrote.
    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > in.available() / 4) {
            throw new NotAFrameException("A count of " + count + " in a frame of " + in.available() + " bytes left");
        }
        return count;
    }

    /** A frame's fields, written in the order {@link #take} reads them. */
    private static final class Payload extends ByteArrayOutputStream {
        private final DataOutputStream out = new DataOutputStream(this);

        Payload() {
            super(256);
        }

        void put(Message message) throws IOException {
            switch (message) {
                case Start start -> {
                    string(start.beans());
                    out.writeInt(start.settings().size());
                    for (Map.Entry<String, String> setting : start.settings().entrySet()) {
                        string(setting.getKey());
                        string(setting.getValue());
                    }
                }
                case Ready ready -> out.writeLong(ready.pid());
                case Run run -> {
                    out.writeLong(run.jobId().getMostSignificantBits());
                    out.writeLong(run.jobId().getLeastSignificantBits());
                    string(run.jobName());
                    string(run.lane());
                    string(run.beanClass());
                    string(run.method());
                    out.writeInt(run.parameterTypes().size());
                    for (String type : run.parameterTypes()) {
                        string(type);
                    }
                    string(run.argumentsJson());
                    out.writeInt(run.attempt());
                    Instant fireTime = run.fireTime();
                    out.writeBoolean(fireTime != null);
                    if (fireTime != null) {
                        out.writeLong(fireTime.getEpochSecond());
                        out.writeInt(fireTime.getNano());
                    }
                }
                case Log line -> string(line.message());
                case Progress progress -> out.writeInt(progress.percent());
                case Result result -> {
                    string(result.resultJson());
                    measured(result.measured());
                }
                case Failed failed -> {
                    string(failed.type());
                    string(failed.message());
                    string(failed.stackTrace());
                    out.writeBoolean(failed.retryable());
                    measured(failed.measured());
                }
                case Bye bye -> string(bye.reason());
            }
        }

        private void measured(Measured measured) throws IOException {
            out.writeLong(measured.wallNanos());
            out.writeLong(measured.cpuNanos());
            out.writeLong(measured.allocatedBytes());
            out.writeLong(measured.peakHeapBytes());
            out.writeLong(measured.heapUsedBytes());
        }

        private void string(@Nullable String value) throws IOException {
            if (value == null) {
                out.writeInt(-1);
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
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
