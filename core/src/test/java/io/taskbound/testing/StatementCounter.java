package io.taskbound.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Counts what goes to the database through the connections of a {@link DataSource}, placed under
 * the connection pool so that the pool's own traffic counts too. A statement is what the server
 * executes: every statement run through JDBC, the {@code BEGIN} that the driver sends before the
 * first statement of a transaction, and the {@code COMMIT} or {@code ROLLBACK} that ends it. A
 * connection check ({@link Connection#isValid}: the pool's validation of a connection it lends, the
 * LISTEN connection's liveness check) sends an empty query, which the server executes as no
 * statement; checks are counted apart.
 */
public final class StatementCounter {

    private static final Set<String> EXECUTES = Set.of(
            "execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final Map<String, LongAdder> statements = new ConcurrentHashMap<>();
    private final LongAdder checks = new LongAdder();

    /** {@code physical}, with every connection it gives counted here. */
    public DataSource wrap(DataSource physical) {
        return new CountingDataSource(physical);
    }

    /** Statements executed since the start or the last {@link #reset()}. */
    public long statements() {
        return statements.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Statements by their SQL text (whitespace collapsed), most frequent first. */
    public Map<String, Long> byStatement() {
        return statements.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** Connection checks (empty queries) since the start or the last {@link #reset()}. */
    public long checks() {
        return checks.sum();
    }

    public void reset() {
        statements.clear();
        checks.reset();
    }

    private void count(String sql) {
        statements
                .computeIfAbsent(sql.strip().replaceAll("\\s+", " "), k -> new LongAdder())
                .increment();
    }

    private final class CountingDataSource implements DataSource {

        private final DataSource physical;

        CountingDataSource(DataSource physical) {
            this.physical = physical;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return counted(physical.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return counted(physical.getConnection(username, password));
        }

        private Connection counted(Connection connection) throws SQLException {
            return (Connection) Proxy.newProxyInstance(
                    StatementCounter.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    new ConnectionCounter(connection));
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return physical.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            physical.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            physical.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return physical.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return physical.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return physical.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return physical.isWrapperFor(type);
        }
    }

    /** Follows the connection's transaction as the driver does: it sends BEGIN lazily. */
    private final class ConnectionCounter implements InvocationHandler {

        private final Connection connection;
        private boolean autoCommit;
        private boolean inTransaction;

        ConnectionCounter(Connection connection) throws SQLException {
            this.connection = connection;
            this.autoCommit = connection.getAutoCommit();
        }

        synchronized void executing(String sql, int statementsSent) {
            if (!autoCommit && !inTransaction) {
                count("BEGIN");
                inTransaction = true;
            }
            for (int i = 0; i < statementsSent; i++) {
                count(sql);
            }
        }

        private synchronized void ending(String how) {
            if (inTransaction) {
                count(how);
                inTransaction = false;
            }
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "commit" -> ending("COMMIT");
                case "rollback" -> {
                    if (args == null) {
                        ending("ROLLBACK");
                    }
                }
                case "setAutoCommit" -> {
                    boolean on = (Boolean) args[0];
                    synchronized (this) {
                        if (on && !autoCommit) {
                            ending("COMMIT");
                        }
                        autoCommit = on;
                    }
                }
                case "isValid" -> checks.increment();
                default -> {}
            }
            Object result = call(connection, method, args);
            if (result instanceof Statement statement) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
                Class<?> type = statement instanceof CallableStatement
                        ? CallableStatement.class
                        : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return Proxy.newProxyInstance(
                        StatementCounter.class.getClassLoader(),
                        new Class<?>[] {type},
                        new StatementCounterHandler(this, statement, sql));
            }
            return result;
        }
    }

    private static final class StatementCounterHandler implements InvocationHandler {

        private final ConnectionCounter connection;
        private final Statement statement;
        private final String preparedSql;
        private int batched;

        StatementCounterHandler(ConnectionCounter connection, Statement statement, String preparedSql) {
            this.connection = connection;
            this.statement = statement;
            this.preparedSql = preparedSql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("addBatch")) {
                batched++;
            } else if (EXECUTES.contains(name)) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : preparedSql;
                boolean batch = name.endsWith("Batch");
                connection.executing(String.valueOf(sql), batch ? Math.max(1, batched) : 1);
                if (batch) {
                    batched = 0;
                }
            }
            return call(statement, method, args);
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
