package io.taskbound.cluster;

import io.taskbound.loop.Loop;
import io.taskbound.store.JobStore;
import io.taskbound.store.ScheduleStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that LISTENs for what other nodes announce: jobs of a lane due now or at a
 * given time, cancellations of running jobs, and changes of schedules (so that each node's firer
 * looks again). Notifications are only a fast path: polling and heartbeats find the same work when
 * a notification is lost, so a broken connection is simply opened again.
 *
 * <p>Waiting for notifications sends nothing, so a connection that silently stopped carrying
 * traffic (a half-open TCP connection behind a dead proxy or NAT) would look idle forever: once per
 * network timeout the connection is checked with a round trip that must answer within that timeout.
 *
 * <p>{@code onListening} runs each time a connection starts listening, {@code onDeaf} each time one
 * that listened breaks: from then until the next one listens, announcements are lost, and the
 * engine polls at its poll interval instead of rarely.
 */
public final class NotificationListener extends Loop {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private final Duration networkTimeout;
    private final Consumer<String> onLaneDue;
    private final Consumer<String> onCancel;
    private final Consumer<String> onScheduleChange;
    private final Runnable onListening;
    private final Runnable onDeaf;
    private volatile Connection connection;
    private volatile boolean listening;
    private long checkedAt;

    public NotificationListener(
            DataSource dataSource,
            Duration networkTimeout,
            Consumer<String> onLaneDue,
            Consumer<String> onCancel,
            Consumer<String> onScheduleChange,
            Runnable onListening,
            Runnable onDeaf) {
        super("taskbound-listener");
        this.dataSource = dataSource;
        this.networkTimeout = networkTimeout;
        this.onLaneDue = onLaneDue;
        this.onCancel = onCancel;
        this.onScheduleChange = onScheduleChange;
        this.onListening = onListening;
        this.onDeaf = onDeaf;
    }

    @Override
    protected Duration runOnce() throws SQLException {
        try {
            PGConnection listening = listeningConnection();
            checkAlive();
            PGNotification[] notifications = listening.getNotifications(WAIT_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    if (JobStore.LANE_CHANNEL.equals(notification.getName())) {
                        onLaneDue.accept(notification.getParameter());
                    } else if (JobStore.CANCEL_CHANNEL.equals(notification.getName())) {
                        onCancel.accept(notification.getParameter());
                    } else if (ScheduleStore.SCHEDULE_CHANNEL.equals(notification.getName())) {
                        onScheduleChange.accept(notification.getParameter());
                    }
                }
            }
            return Duration.ZERO;
        } catch (SQLException e) {
            boolean wasListening = listening;
            close();
            if (wasListening) {
                onDeaf.run();
            }
            throw e;
        }
    }

    /**
     * Whether a connection is listening now, so that what other nodes announce reaches this node.
     * Until the first one listens, and from when one breaks until the next one listens, it does not.
     */
    public boolean listening() {
        return listening;
    }

    private void checkAlive() throws SQLException {
        long now = System.nanoTime();
        if (now - checkedAt < networkTimeout.toNanos()) {
            return;
        }
        checkedAt = now;
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, networkTimeout.toSeconds()));
        if (!connection.isValid(seconds)) {
            throw new SQLException(
                    "The LISTEN connection did not answer within " + networkTimeout + "; opening a new one", "08006");
        }
    }

    private PGConnection listeningConnection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = dataSource.getConnection();
            connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, networkTimeout.toMillis()));
            connection.setAutoCommit(true);
            checkedAt = System.nanoTime();
            try (Statement listen = connection.createStatement()) {
                listen.execute("listen " + JobStore.LANE_CHANNEL);
                listen.execute("listen " + JobStore.CANCEL_CHANNEL);
                listen.execute("listen " + ScheduleStore.SCHEDULE_CHANNEL);
            }
            log.debug(
                    "Listening for notifications on {}, {} and {}",
                    JobStore.LANE_CHANNEL,
                    JobStore.CANCEL_CHANNEL,
                    ScheduleStore.SCHEDULE_CHANNEL);
            listening = true;
            // Whatever was announced while no connection listened (since start, or since the last
            // one broke) is lost: look for it now rather than at the next poll, which may be far.
            onListening.run();
        }
        return connection.unwrap(PGConnection.class);
    }

    @Override
    public void stop(Duration timeout) {
        super.stop(timeout);
        Connection current = connection;
        if (current != null && isAlive()) {
            // The loop's thread may be blocked reading the connection, holding the driver's lock that
            // close() needs: abort ends the read at once, without that lock.
            try {
                current.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                log.debug("Aborting the listening connection failed", e);
            }
        }
        close();
    }

    // Either this loop's thread (after a failure) or the stopping thread closes the connection, never
    // both: the pool's close is not safe to call twice at once.
    private void close() {
        Connection current;
        synchronized (this) {
            listening = false;
            current = connection;
            connection = null;
        }
        if (current != null) {
            try {
                current.close();
            } catch (SQLException | RuntimeException e) {
                log.debug("Closing the listening connection failed", e);
            }
        }
    }
}
