package io.taskbound.registry;

import io.taskbound.JobRef;
import io.taskbound.UnknownJobException;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads which method a {@link JobRef} names, from the {@link SerializedLambda} that the compiler
 * gives every serializable lambda. Only the method is kept; the lambda is never stored, so stored
 * jobs do not depend on the shape of compiled lambda classes.
 */
final class MethodReferences {

    // Keyed by the lambda's class: each method reference expression in the source compiles to one.
    // Held by a registry, not the JVM: classes of an application context that Spring DevTools
    // restarted must not be kept alive by a static cache.
    private final Map<Class<?>, Method> resolved = new ConcurrentHashMap<>();

    Method method(JobRef reference) {
        return resolved.computeIfAbsent(reference.getClass(), type -> resolve(reference));
    }

    private static Method resolve(JobRef reference) {
        SerializedLambda lambda = serialized(reference);
        if (lambda.getImplMethodName().startsWith("lambda$")) {
            throw new UnknownJobException("Not a method reference: pass a reference such as Calculator::add to a"
                    + " @Job method, not a lambda expression");
        }
        if (lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeVirtual
                && lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeInterface) {
            throw new UnknownJobException("Not a reference to a @Job method: " + lambda.getImplClass() + "."
                    + lambda.getImplMethodName() + " is static or a constructor; pass a reference such as"
                    + " Calculator::add to an instance method annotated with @Job");
        }
        ClassLoader loader = reference.getClass().getClassLoader();
        try {
            Class<?> owner = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
            MethodType type = MethodType.fromMethodDescriptorString(lambda.getImplMethodSignature(), loader);
            for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
                for (Method candidate : c.getDeclaredMethods()) {
                    if (candidate.getName().equals(lambda.getImplMethodName())
                            && Arrays.equals(candidate.getParameterTypes(), type.parameterArray())
                            && !candidate.isBridge()) {
                        return candidate;
                    }
                }
            }
            throw new UnknownJobException(
                    "Cannot find method " + lambda.getImplMethodName() + " of " + owner.getName());
        } catch (ClassNotFoundException e) {
            throw new UnknownJobException("Cannot load " + lambda.getImplClass() + " named by a job reference", e);
        }
    }

    private static SerializedLambda serialized(JobRef reference) {
        try {
            Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            if (writeReplace.invoke(reference) instanceof SerializedLambda lambda) {
                return lambda;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnknownJobException("Not a method reference: pass a reference such as Calculator::add", e);
        }
        throw new UnknownJobException("Not a method reference: pass a reference such as Calculator::add");
    }
}
