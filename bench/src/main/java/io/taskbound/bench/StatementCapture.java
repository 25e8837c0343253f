package io.taskbound.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} that hands out its delegate's connections unchanged, except that while
 * {@link #capture} runs on a thread, the statements that thread prepares are recorded with the
 * values bound to them: the exact SQL a library ran, to be explained afterwards with {@link
 * Captured#bind}. Outside a capture a call costs one reflective dispatch per JDBC method.
 */
final class StatementCapture {

    /** One prepared statement: its SQL and its {@code set...} calls, in order. */
    record Captured(String sql, List<Bind> binds) {

        /** Replays the recorded {@code set...} calls on {@code statement}. */
        void bind(PreparedStatement statement) throws Exception {
            for (Bind bind : binds) {
                bind.method().invoke(statement, bind.arguments());
            }
        }

        /** The bound values by parameter index, {@code null} for SQL NULL. */
        List<@Nullable Object> values() {
            List<@Nullable Object> values = new ArrayList<>();
            for (Bind bind : binds) {
                int index = (Integer) bind.arguments()[0];
                while (values.size() < index) {
                    values.add(null);
                }
                values.set(index - 1, bind.method().getName().equals("setNull") ? null : bind.arguments()[1]);
            }
            return values;
        }
    }

    record Bind(Method method, Object[] arguments) {}

    private static final ThreadLocal<@Nullable List<Captured>> ACTIVE = new ThreadLocal<>();

    private StatementCapture() {}

    /** Runs {@code call} and returns what it returned with the statements it prepared on this thread. */
    static <T> CaptureResult<T> capture(Callable<T> call) throws Exception {
        List<Captured> captured = new ArrayList<>();
        ACTIVE.set(captured);
        try {
            return new CaptureResult<>(call.call(), List.copyOf(captured));
        } finally {
            ACTIVE.remove();
        }
    }

    record CaptureResult<T>(T value, List<Captured> statements) {}

    static DataSource wrap(DataSource dataSource) {
        return proxy(DataSource.class, dataSource, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection connection ? connection(connection) : result;
        });
    }

    private static Connection connection(Connection connection) {
        return proxy(Connection.class, connection, (target, method, args) -> {
            Object result = invoke(target, method, args);
            List<Captured> captured = ACTIVE.get();
            if (captured != null
                    && method.getName().equals("prepareStatement")
                    && result instanceof PreparedStatement statement
                    && args != null
                    && args[0] instanceof String sql) {
                List<Bind> binds = new ArrayList<>();
                captured.add(new Captured(sql, binds));
                return statement(statement, binds);
            }
            return result;
        });
    }

    private static PreparedStatement statement(PreparedStatement statement, List<Bind> binds) {
        return proxy(PreparedStatement.class, statement, (target, method, args) -> {
            if (method.getName().startsWith("set")
                    && args != null
                    && args.length >= 2
                    && args[0] instanceof Integer
                    && method.getDeclaringClass().isAssignableFrom(PreparedStatement.class)) {
                binds.add(new Bind(method, Arrays.copyOf(args, args.length)));
            }
            return invoke(target, method, args);
        });
    }

    private interface Handler<T> {
        @Nullable
        Object handle(T target, Method method, Object @Nullable [] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
        InvocationHandler invocation = (proxy, method, args) -> {
            if (method.getName().equals("equals") && args != null && args.length == 1) {
                return proxy == args[0];
            }
            if (method.getName().equals("hashCode") && args == null) {
                return System.identityHashCode(proxy);
            }
            if (method.getName().equals("unwrap")
                    && args != null
                    && args[0] instanceof Class<?> wanted
                    && wanted.isInstance(proxy)) {
                return proxy;
            }
            return handler.handle(target, method, args);
        };
        return (T) Proxy.newProxyInstance(StatementCapture.class.getClassLoader(), new Class<?>[] {type}, invocation);
    }

    private static @Nullable Object invoke(Object target, Method method, Object @Nullable [] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
