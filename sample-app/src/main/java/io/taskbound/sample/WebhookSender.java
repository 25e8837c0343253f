package io.taskbound.sample;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Delivers webhooks: mostly waiting on remote hosts, so it runs on virtual threads of the network
 * lane. The sample does not call out to the internet; it simulates the wait, and a receiver whose
 * host starts with "flaky" fails on the first attempts, to show retries with backoff.
 */
@Component
public class WebhookSender {

    private final Set<String> delivered = ConcurrentHashMap.newKeySet();

    @Job(name = "webhooks.deliver", bound = Bound.NETWORK, maxAttempts = 4, timeout = "PT30S")
    public int deliver(String url, String payload, JobContext context) throws InterruptedException {
        URI target = URI.create(url);
        context.log("POST " + target + " (" + payload.length() + " bytes)");
        Thread.sleep(250);
        if (target.getHost() != null && target.getHost().startsWith("flaky") && context.attempt() < 3) {
            throw new IllegalStateException("503 Service Unavailable from " + target.getHost());
        }
        delivered.add(url);
        return 200;
    }

    public Set<String> delivered() {
        return Set.copyOf(delivered);
    }
}
