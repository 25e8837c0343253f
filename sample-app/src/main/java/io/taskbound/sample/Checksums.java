package io.taskbound.sample;

import io.taskbound.Bound;
import io.taskbound.Job;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * Checksums of reports, declared {@code IO} <em>on purpose</em>: it reads like I/O work, but it
 * spends its time hashing, so it holds a carrier thread of the io lane while it computes. The bound
 * advisor finds it out after 20 runs and suggests {@code @Job(bound = Bound.CPU)}: see the lanes page
 * of the dashboard, {@code /actuator/taskbound} and the log.
 */
@Component
public class Checksums {

    /** Rounds of SHA-256 over a 64 KB buffer: about 50 ms of CPU on a laptop core. */
    static final int ROUNDS = 400;

    @Job(name = "reports.checksum", bound = Bound.IO)
    public String checksum(long reportId) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        byte[] seed = Long.toString(reportId).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(seed, 0, block, 0, seed.length);
        byte[] digest = seed;
        for (int i = 0; i < ROUNDS; i++) {
            sha.update(digest);
            digest = sha.digest(block);
            block[i % block.length] = digest[0];
        }
        return HexFormat.of().formatHex(digest);
    }
}
