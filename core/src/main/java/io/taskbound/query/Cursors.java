package io.taskbound.query;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Opaque cursors: a position in a listing, as URL-safe text with a prefix naming the listing, so
 * that a cursor of one listing handed to another is refused rather than misread.
 */
final class Cursors {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Cursors() {}

    static String ofJob(UUID id) {
        ByteBuffer bytes =
                ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return "j" + ENCODER.encodeToString(bytes.array());
    }

    static @Nullable UUID job(@Nullable String cursor) {
        if (cursor == null) {
            return null;
        }
        byte[] bytes = decode(cursor, 'j', "jobs");
        if (bytes.length != 16) {
            throw invalid(cursor, "jobs");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    static String ofLogLine(long id) {
        return "l" + ENCODER.encodeToString(ByteBuffer.allocate(8).putLong(id).array());
    }

    static long logLine(@Nullable String cursor) {
        if (cursor == null) {
            return 0;
        }
        byte[] bytes = decode(cursor, 'l', "log lines");
        if (bytes.length != 8) {
            throw invalid(cursor, "log lines");
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    private static byte[] decode(String cursor, char prefix, String listing) {
        if (cursor.length() < 2 || cursor.charAt(0) != prefix) {
            throw invalid(cursor, listing);
        }
        try {
            return DECODER.decode(cursor.substring(1));
        } catch (IllegalArgumentException e) {
            throw invalid(cursor, listing);
        }
    }

    private static IllegalArgumentException invalid(String cursor, String listing) {
        String shown = cursor.length() > 40 ? cursor.substring(0, 40) + "…" : cursor;
        return new IllegalArgumentException("Cursor \"" + shown + "\" is not one the listing of " + listing
                + " gave: pass null for the first page, or the next cursor of the page before");
    }
}
