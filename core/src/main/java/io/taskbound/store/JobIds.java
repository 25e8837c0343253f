package io.taskbound.store;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Job ids: UUID version 7 (RFC 9562), time-ordered so that new rows land at the end of the primary
 * key index instead of at random pages, which keeps inserts cheap as the table grows.
 */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {}

    public static UUID next() {
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
