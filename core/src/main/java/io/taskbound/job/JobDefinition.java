package io.taskbound.job;

import io.taskbound.Bound;
import io.taskbound.JobContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @Job} method registered on this node: its stable name, where it runs, and how to call it.
 *
 * @param maxAttempts the job's own limit, or 0 to take its lane's
 * @param timeout the job's own timeout, or null to take its lane's
 */
public record JobDefinition(
        String name,
        Object bean,
        Method method,
        Bound bound,
        String lane,
        int maxAttempts,
        @Nullable Duration timeout,
        int priority,
        List<Parameter> parameters,
        boolean takesContext) {

    /** A stored argument of the method; the {@link JobContext} parameter is not one. */
    public record Parameter(String name, Type type) {}

    /** The method's generic return type; {@code void} for procedures. */
    public Type resultType() {
        return method.getGenericReturnType();
    }

    /** Calls the method with decoded arguments, adding the context when the method takes one. */
    public @Nullable Object invoke(Object[] arguments, JobContext context) throws Throwable {
        Object[] call = arguments;
        if (takesContext) {
            call = Arrays.copyOf(arguments, arguments.length + 1);
            call[arguments.length] = context;
        }
        try {
            return method.invoke(bean, call);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** {@code Calculator.add(int, int)}: how error messages name the method. */
    public String describeMethod() {
        return describe(method);
    }

    public static String describe(Method method) {
        StringBuilder text = new StringBuilder(method.getDeclaringClass().getSimpleName())
                .append('.')
                .append(method.getName())
                .append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }
}
