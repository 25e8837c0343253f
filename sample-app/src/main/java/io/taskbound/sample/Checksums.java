package io.taskbound.sample;

import io.taskbound.Bound;
import io.taskbound.Job;
import org.springframework.stereotype.Component;

/**
 * Checksums of reports, declared {@code IO} <em>on purpose</em>: it reads like I/O work, but it
 * spends its time computing, so it holds a carrier thread of the io lane while it computes. The
 * bound advisor finds it out after 20 runs and suggests {@code @Job(bound = Bound.CPU)}: see the
 * lanes page of the dashboard, {@code /actuator/taskbound} and the log.
 */
@Component
public class Checksums {

    /** Rounds of a 64-bit FNV-1a hash over a 64 KB block: tens of milliseconds of CPU. */
    static final int ROUNDS = 400;

    private static final long FNV_PRIME = 0x100000001b3L;

    @Job(name = "reports.checksum", bound = Bound.IO)
    public String checksum(long reportId) {
        byte[] block = new byte[64 * 1024];
        long hash = 0xcbf29ce484222325L ^ reportId;
        for (int round = 0; round < ROUNDS; round++) {
            for (byte b : block) {
                hash = (hash ^ b) * FNV_PRIME;
            }
            block[round % block.length] = (byte) hash;
        }
        return Long.toHexString(hash);
    }
}
