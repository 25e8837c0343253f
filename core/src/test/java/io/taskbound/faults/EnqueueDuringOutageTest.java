package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.StoreUnavailableException;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An enqueue whose connection breaks says what happened: nothing stored, or maybe stored when the
 * commit itself was cut; and a retry of the latter with a unique key never stores a second job.
 */
class EnqueueDuringOutageTest {

    private static final Pattern JOB_ID = Pattern.compile("id ([0-9a-f-]{36})");

    private static PostgresServer postgres;
    private TcpProxy proxy;
    private HikariDataSource proxied;
    private HikariDataSource direct;
    private TestEngine engine;

    public static class Mail {
        @Job(name = "mail.send")
        public void send(String to) {}
    }

    @BeforeAll
    static void server() {
        postgres = PostgresServer.start("enqueue");
    }

    @AfterAll
    static void stopServer() {
        postgres.close();
    }

    @BeforeEach
    void connect() {
        proxy = TcpProxy.to(postgres.port());
        proxied = PostgresServer.pool("enqueue", 5, postgres.url(proxy.port(), "prepareThreshold=0"));
        direct = postgres.pool("check", 2);
        try (Connection connection = direct.getConnection();
                Statement empty = connection.createStatement()) {
            empty.execute("truncate taskbound_job cascade");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        // Built, not started: nothing claims the jobs, so the test sees exactly what was stored.
        engine = TestEngine.create(proxied, TestSettings.fast(), null, RandomGenerator.getDefault(), new Mail());
    }

    @AfterEach
    void close() {
        engine.close();
        proxied.close();
        direct.close();
        proxy.close();
    }

    @Test
    void anEnqueueWhoseStatementIsCutSaysNothingWasStoredAndNamesTheJob() {
        proxy.cutWhenClientSends("insert into taskbound_job (id, name", false, 1);

        StoreUnavailableException failure = catchThrowableOfType(
                StoreUnavailableException.class, () -> engine.jobs().enqueue(Mail::send, "a@example.com"));

        assertThat(failure.mayHaveCommitted()).isFalse();
        assertThat(failure.getMessage())
                .startsWith("Enqueue of job \"mail.send\" (id ")
                .contains("did not happen: the database could not be reached")
                .contains("SQLSTATE 08006")
                .contains("Nothing was stored");
        assertThat(storedJobs("mail.send")).isZero();
        // The pool hands out a fresh connection: the same enqueue now works.
        assertThat(engine.jobs().enqueue(Mail::send, "a@example.com").id()).isNotNull();
        assertThat(storedJobs("mail.send")).isEqualTo(1);
    }

    @Test
    void aCommitCutBeforeTheServerSawItMayHaveCommittedAndARetryWithTheUniqueKeyStoresOneJob() {
        proxy.cutWhenClientSends("COMMIT", false, 1);

        StoreUnavailableException failure = enqueueWithKey("welcome-1");

        assertThat(failure.mayHaveCommitted()).isTrue();
        assertThat(failure.getMessage())
                .contains("may or may not have been stored")
                .contains("jobs.info(id)")
                .contains("jobIds()");
        assertThat(failure.jobIds()).containsExactly(idIn(failure));
        assertThat(storedJobs("mail.send")).isZero();
        UUID retried = engine.jobs()
                .schedule(Mail::send, "b@example.com")
                .uniqueKey("welcome-1")
                .enqueue()
                .id();
        assertThat(storedJobs("mail.send")).isEqualTo(1);
        assertThat(retried).isNotEqualTo(idIn(failure));
    }

    @Test
    void aCommitCutAfterTheServerCommittedMayHaveCommittedAndARetryWithTheUniqueKeyFindsTheSameJob() {
        proxy.cutWhenClientSends("COMMIT", true, 1);

        StoreUnavailableException failure = enqueueWithKey("welcome-2");

        assertThat(failure.mayHaveCommitted()).isTrue();
        UUID stored = idIn(failure);
        // The server got the COMMIT; it finishes it a moment after the client saw the connection go.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.jobs().info(stored).isPresent());
        JobHandle<Void> retried = engine.jobs()
                .schedule(Mail::send, "b@example.com")
                .uniqueKey("welcome-2")
                .enqueue();
        assertThat(retried.id()).isEqualTo(stored);
        assertThat(storedJobs("mail.send")).isEqualTo(1);
    }

    private StoreUnavailableException enqueueWithKey(String key) {
        return catchThrowableOfType(
                StoreUnavailableException.class,
                () -> engine.jobs()
                        .schedule(Mail::send, "b@example.com")
                        .uniqueKey(key)
                        .enqueue());
    }

    private static UUID idIn(StoreUnavailableException failure) {
        Matcher id = JOB_ID.matcher(failure.getMessage());
        assertThat(id.find()).as("job id in: %s", failure.getMessage()).isTrue();
        return UUID.fromString(id.group(1));
    }

    private long storedJobs(String name) {
        try (Connection connection = direct.getConnection();
                PreparedStatement count =
                        connection.prepareStatement("select count(*) from taskbound_job where name = ?")) {
            count.setString(1, name);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
