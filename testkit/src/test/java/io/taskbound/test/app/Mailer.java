package io.taskbound.test.app;

import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.Jobs;
import io.taskbound.Recurring;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Sends (records) mail: jobs that a test can see ran, and on which thread. */
@Component
public class Mailer {

    private final ObjectProvider<Jobs> jobs;
    private final Map<String, Thread> sent = new ConcurrentHashMap<>();
    private final AtomicInteger digests = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    public Mailer(ObjectProvider<Jobs> jobs) {
        this.jobs = jobs;
    }

    @Job(name = "mail.send")
    public void send(String to, int copies) {
        sent.put(to, Thread.currentThread());
    }

    /** Enqueues the mail it sends, as a job. */
    @Job(name = "mail.welcome")
    public void welcome(String to) {
        jobs.getObject().enqueue(Mailer::send, to, 1);
    }

    /** Fails its first attempt, like a mail server that is busy once. */
    @Job(name = "mail.flaky", maxAttempts = 3)
    public void flaky(String to, JobContext context) {
        if (context.attempt() == 1) {
            throw new IllegalStateException("421 Try again later");
        }
        sent.put(to, Thread.currentThread());
    }

    /** Runs until {@link #release()}, at most a minute. */
    @Job(name = "mail.hold")
    public void hold(String to) throws InterruptedException {
        released.await(1, TimeUnit.MINUTES);
        sent.put(to, Thread.currentThread());
    }

    @Recurring(every = "PT1H", id = "mail.digest")
    @Job(name = "mail.digest")
    public void digest() {
        digests.incrementAndGet();
    }

    public void release() {
        released.countDown();
    }

    /** The thread that sent mail to {@code to}, or null if none did. */
    public Thread sender(String to) {
        return sent.get(to);
    }

    public int digests() {
        return digests.get();
    }
}
