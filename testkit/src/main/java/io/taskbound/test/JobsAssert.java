package io.taskbound.test;

import io.taskbound.JobFilter;
import io.taskbound.JobInfo;
import io.taskbound.JobQueries;
import io.taskbound.JobRef;
import io.taskbound.JobRequest;
import io.taskbound.JobSummary;
import io.taskbound.Jobs;
import io.taskbound.Page;
import io.taskbound.engine.PreparedJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import tools.jackson.databind.json.JsonMapper;

/**
 * AssertJ assertions on the jobs stored through {@link Jobs}: which were enqueued, with which
 * arguments and options. A method reference and its arguments name a job the way {@code
 * jobs.enqueue(...)} does: the job's registered name, and the arguments as the JSON array that an
 * enqueue stores, each written by its parameter's declared type. What is stored is read through
 * {@link Jobs#queries()}; every stored job counts, whatever its state, so a job that already ran
 * still shows as enqueued.
 *
 * <pre>{@code
 * import static io.taskbound.test.JobsAssert.assertThat;
 *
 * assertThat(jobs).hasEnqueued(Reports::render, 42L).inLane("cpu").times(1);
 * assertThat(jobs).hasNotEnqueued(Reports::render, 43L);
 * }</pre>
 *
 * A failure lists the jobs that were enqueued instead.
 */
public final class JobsAssert extends AbstractAssert<JobsAssert, Jobs> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    // The jobs a failure lists when none has the expected name.
    private static final int LISTED = 20;

    private JobsAssert(Jobs jobs) {
        super(jobs, JobsAssert.class);
    }

    /** Assertions on the jobs stored through {@code jobs}, the application's {@link Jobs} bean. */
    public static JobsAssert assertThat(Jobs jobs) {
        return new JobsAssert(jobs);
    }

    private EnqueuedJobsAssert enqueued(JobRef job, Object[] arguments) {
        isNotNull();
        PreparedJob expected = prepared(job, arguments);
        List<JobInfo> named = stored(expected.name());
        List<JobInfo> matching =
                named.stream().filter(stored -> sameArguments(stored, expected)).toList();
        if (matching.isEmpty()) {
            failWithMessage(
                    "%s",
                    "Expected a job " + describe(expected) + " to have been enqueued, but "
                            + (named.isEmpty()
                                    ? noneNamed(expected.name())
                                    : "those named so have other arguments:" + list(named)));
        }
        return new EnqueuedJobsAssert(describe(expected), matching);
    }

    private JobsAssert notEnqueued(JobRef job, Object[] arguments) {
        isNotNull();
        PreparedJob expected = prepared(job, arguments);
        List<JobInfo> matching = stored(expected.name()).stream()
                .filter(stored -> sameArguments(stored, expected))
                .toList();
        if (!matching.isEmpty()) {
            failWithMessage(
                    "%s",
                    "Expected no job " + describe(expected) + " to have been enqueued, but found " + matching.size()
                            + ":" + list(matching));
        }
        return this;
    }

    // The engine's own request knows what it stores; the inline mode's Jobs wraps it.
    private PreparedJob prepared(JobRef job, Object[] arguments) {
        JobRequest<?> request = actual.prepare(job, arguments);
        if (request instanceof InlineJobs.Request<?> inline) {
            request = inline.engineRequest();
        }
        return PreparedJob.of(request);
    }

    // Every stored job of that name, newest first, with its arguments and options.
    private List<JobInfo> stored(String name) {
        return infos(JobFilter.all().named(name), Integer.MAX_VALUE);
    }

    private List<JobInfo> infos(JobFilter filter, int limit) {
        List<JobInfo> infos = new ArrayList<>();
        String cursor = null;
        do {
            Page<JobSummary> page = actual.queries().list(filter, cursor, JobQueries.MAX_PAGE_SIZE);
            for (JobSummary summary : page.items()) {
                if (infos.size() == limit) {
                    return infos;
                }
                actual.info(summary.id()).ifPresent(infos::add);
            }
            cursor = page.next();
        } while (cursor != null);
        return infos;
    }

    // As JSON values: PostgreSQL keeps arguments as jsonb, which spaces and orders them its own way.
    private static boolean sameArguments(JobInfo stored, PreparedJob expected) {
        return stored.argumentsJson() != null
                && JSON.readTree(stored.argumentsJson()).equals(JSON.readTree(expected.argumentsJson()));
    }

    private String noneNamed(String name) {
        List<JobInfo> others = infos(JobFilter.all(), LISTED);
        return others.isEmpty()
                ? "no job was enqueued at all"
                : "none named \"" + name + "\" was; the latest enqueued were:" + list(others);
    }

    private static String describe(PreparedJob job) {
        return "\"" + job.name() + "\" with arguments " + job.argumentsJson();
    }

    /** The jobs, one a line, with what the assertions look at. */
    static String list(List<JobInfo> jobs) {
        return jobs.stream().map(JobsAssert::line).collect(Collectors.joining(""));
    }

    private static String line(JobInfo job) {
        return "\n  " + job.name() + " " + job.argumentsJson() + " (" + job.id() + "): " + job.state() + ", lane "
                + job.lane() + ", priority " + job.priority() + ", created at " + job.createdAt() + ", run at "
                + job.runAt()
                + Optional.ofNullable(job.uniqueKey())
                        .map(key -> ", unique key " + key)
                        .orElse("");
    }

    // hasEnqueued(job, arguments...): some stored job was enqueued as jobs.enqueue(job, arguments...)
    // stores it; one overload per shape of @Job method, as Jobs#enqueue has. Narrow the jobs found
    // with the EnqueuedJobsAssert it returns.

    public <T, R> EnqueuedJobsAssert hasEnqueued(JobRef.Fn0<T, R> job) {
        return enqueued(job, new Object[] {});
    }

    public <T, A, R> EnqueuedJobsAssert hasEnqueued(JobRef.Fn1<T, A, R> job, A a) {
        return enqueued(job, new Object[] {a});
    }

    public <T, A, B, R> EnqueuedJobsAssert hasEnqueued(JobRef.Fn2<T, A, B, R> job, A a, B b) {
        return enqueued(job, new Object[] {a, b});
    }

    public <T, A, B, C, R> EnqueuedJobsAssert hasEnqueued(JobRef.Fn3<T, A, B, C, R> job, A a, B b, C c) {
        return enqueued(job, new Object[] {a, b, c});
    }

    public <T, A, B, C, D, R> EnqueuedJobsAssert hasEnqueued(JobRef.Fn4<T, A, B, C, D, R> job, A a, B b, C c, D d) {
        return enqueued(job, new Object[] {a, b, c, d});
    }

    public <T> EnqueuedJobsAssert hasEnqueued(JobRef.Proc0<T> job) {
        return enqueued(job, new Object[] {});
    }

    public <T, A> EnqueuedJobsAssert hasEnqueued(JobRef.Proc1<T, A> job, A a) {
        return enqueued(job, new Object[] {a});
    }

    public <T, A, B> EnqueuedJobsAssert hasEnqueued(JobRef.Proc2<T, A, B> job, A a, B b) {
        return enqueued(job, new Object[] {a, b});
    }

    public <T, A, B, C> EnqueuedJobsAssert hasEnqueued(JobRef.Proc3<T, A, B, C> job, A a, B b, C c) {
        return enqueued(job, new Object[] {a, b, c});
    }

    public <T, A, B, C, D> EnqueuedJobsAssert hasEnqueued(JobRef.Proc4<T, A, B, C, D> job, A a, B b, C c, D d) {
        return enqueued(job, new Object[] {a, b, c, d});
    }

    public <T, R> EnqueuedJobsAssert hasEnqueued(JobRef.Fn0WithContext<T, R> job) {
        return enqueued(job, new Object[] {});
    }

    public <T, A, R> EnqueuedJobsAssert hasEnqueued(JobRef.Fn1WithContext<T, A, R> job, A a) {
        return enqueued(job, new Object[] {a});
    }

    public <T, A, B, R> EnqueuedJobsAssert hasEnqueued(JobRef.Fn2WithContext<T, A, B, R> job, A a, B b) {
        return enqueued(job, new Object[] {a, b});
    }

    public <T, A, B, C, R> EnqueuedJobsAssert hasEnqueued(JobRef.Fn3WithContext<T, A, B, C, R> job, A a, B b, C c) {
        return enqueued(job, new Object[] {a, b, c});
    }

    public <T, A, B, C, D, R> EnqueuedJobsAssert hasEnqueued(
            JobRef.Fn4WithContext<T, A, B, C, D, R> job, A a, B b, C c, D d) {
        return enqueued(job, new Object[] {a, b, c, d});
    }

    public <T> EnqueuedJobsAssert hasEnqueued(JobRef.Proc0WithContext<T> job) {
        return enqueued(job, new Object[] {});
    }

    public <T, A> EnqueuedJobsAssert hasEnqueued(JobRef.Proc1WithContext<T, A> job, A a) {
        return enqueued(job, new Object[] {a});
    }

    public <T, A, B> EnqueuedJobsAssert hasEnqueued(JobRef.Proc2WithContext<T, A, B> job, A a, B b) {
        return enqueued(job, new Object[] {a, b});
    }

    public <T, A, B, C> EnqueuedJobsAssert hasEnqueued(JobRef.Proc3WithContext<T, A, B, C> job, A a, B b, C c) {
        return enqueued(job, new Object[] {a, b, c});
    }

    public <T, A, B, C, D> EnqueuedJobsAssert hasEnqueued(
            JobRef.Proc4WithContext<T, A, B, C, D> job, A a, B b, C c, D d) {
        return enqueued(job, new Object[] {a, b, c, d});
    }

    // hasNotEnqueued(job, arguments...): no stored job was enqueued so.

    public <T, R> JobsAssert hasNotEnqueued(JobRef.Fn0<T, R> job) {
        return notEnqueued(job, new Object[] {});
    }

    public <T, A, R> JobsAssert hasNotEnqueued(JobRef.Fn1<T, A, R> job, A a) {
        return notEnqueued(job, new Object[] {a});
    }

    public <T, A, B, R> JobsAssert hasNotEnqueued(JobRef.Fn2<T, A, B, R> job, A a, B b) {
        return notEnqueued(job, new Object[] {a, b});
    }

    public <T, A, B, C, R> JobsAssert hasNotEnqueued(JobRef.Fn3<T, A, B, C, R> job, A a, B b, C c) {
        return notEnqueued(job, new Object[] {a, b, c});
    }

    public <T, A, B, C, D, R> JobsAssert hasNotEnqueued(JobRef.Fn4<T, A, B, C, D, R> job, A a, B b, C c, D d) {
        return notEnqueued(job, new Object[] {a, b, c, d});
    }

    public <T> JobsAssert hasNotEnqueued(JobRef.Proc0<T> job) {
        return notEnqueued(job, new Object[] {});
    }

    public <T, A> JobsAssert hasNotEnqueued(JobRef.Proc1<T, A> job, A a) {
        return notEnqueued(job, new Object[] {a});
    }

    public <T, A, B> JobsAssert hasNotEnqueued(JobRef.Proc2<T, A, B> job, A a, B b) {
        return notEnqueued(job, new Object[] {a, b});
    }

    public <T, A, B, C> JobsAssert hasNotEnqueued(JobRef.Proc3<T, A, B, C> job, A a, B b, C c) {
        return notEnqueued(job, new Object[] {a, b, c});
    }

    public <T, A, B, C, D> JobsAssert hasNotEnqueued(JobRef.Proc4<T, A, B, C, D> job, A a, B b, C c, D d) {
        return notEnqueued(job, new Object[] {a, b, c, d});
    }

    public <T, R> JobsAssert hasNotEnqueued(JobRef.Fn0WithContext<T, R> job) {
        return notEnqueued(job, new Object[] {});
    }

    public <T, A, R> JobsAssert hasNotEnqueued(JobRef.Fn1WithContext<T, A, R> job, A a) {
        return notEnqueued(job, new Object[] {a});
    }

    public <T, A, B, R> JobsAssert hasNotEnqueued(JobRef.Fn2WithContext<T, A, B, R> job, A a, B b) {
        return notEnqueued(job, new Object[] {a, b});
    }

    public <T, A, B, C, R> JobsAssert hasNotEnqueued(JobRef.Fn3WithContext<T, A, B, C, R> job, A a, B b, C c) {
        return notEnqueued(job, new Object[] {a, b, c});
    }

    public <T, A, B, C, D, R> JobsAssert hasNotEnqueued(
            JobRef.Fn4WithContext<T, A, B, C, D, R> job, A a, B b, C c, D d) {
        return notEnqueued(job, new Object[] {a, b, c, d});
    }

    public <T> JobsAssert hasNotEnqueued(JobRef.Proc0WithContext<T> job) {
        return notEnqueued(job, new Object[] {});
    }

    public <T, A> JobsAssert hasNotEnqueued(JobRef.Proc1WithContext<T, A> job, A a) {
        return notEnqueued(job, new Object[] {a});
    }

    public <T, A, B> JobsAssert hasNotEnqueued(JobRef.Proc2WithContext<T, A, B> job, A a, B b) {
        return notEnqueued(job, new Object[] {a, b});
    }

    public <T, A, B, C> JobsAssert hasNotEnqueued(JobRef.Proc3WithContext<T, A, B, C> job, A a, B b, C c) {
        return notEnqueued(job, new Object[] {a, b, c});
    }

    public <T, A, B, C, D> JobsAssert hasNotEnqueued(JobRef.Proc4WithContext<T, A, B, C, D> job, A a, B b, C c, D d) {
        return notEnqueued(job, new Object[] {a, b, c, d});
    }
}
