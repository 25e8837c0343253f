package io.taskbound;

import java.io.Serializable;

/**
 * Type-checked references to {@code @Job} methods, such as {@code Calculator::add}. They are
 * {@link Serializable} only so that Taskbound can read which method a reference names; the
 * reference itself is never stored, the job's stable name is.
 *
 * <p>{@code FnN} returns a result, {@code ProcN} returns nothing, and the {@code ...WithContext}
 * forms take a trailing {@link JobContext} that Taskbound supplies when the job runs.
 */
public sealed interface JobRef extends Serializable {

    @FunctionalInterface
    non-sealed interface Fn0<T, R> extends JobRef {
        R call(T target) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Fn1<T, A, R> extends JobRef {
        R call(T target, A a) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Fn2<T, A, B, R> extends JobRef {
        R call(T target, A a, B b) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Fn3<T, A, B, C, R> extends JobRef {
        R call(T target, A a, B b, C c) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Fn4<T, A, B, C, D, R> extends JobRef {
        R call(T target, A a, B b, C c, D d) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc0<T> extends JobRef {
        void call(T target) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc1<T, A> extends JobRef {
        void call(T target, A a) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc2<T, A, B> extends JobRef {
        void call(T target, A a, B b) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc3<T, A, B, C> extends JobRef {
        void call(T target, A a, B b, C c) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc4<T, A, B, C, D> extends JobRef {
        void call(T target, A a, B b, C c, D d) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Fn0WithContext<T, R> extends JobRef {
        R call(T target, JobContext context) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Fn1WithContext<T, A, R> extends JobRef {
        R call(T target, A a, JobContext context) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Fn2WithContext<T, A, B, R> extends JobRef {
        R call(T target, A a, B b, JobContext context) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Fn3WithContext<T, A, B, C, R> extends JobRef {
        R call(T target, A a, B b, C c, JobContext context) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Fn4WithContext<T, A, B, C, D, R> extends JobRef {
        R call(T target, A a, B b, C c, D d, JobContext context) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc0WithContext<T> extends JobRef {
        void call(T target, JobContext context) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc1WithContext<T, A> extends JobRef {
        void call(T target, A a, JobContext context) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc2WithContext<T, A, B> extends JobRef {
        void call(T target, A a, B b, JobContext context) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc3WithContext<T, A, B, C> extends JobRef {
        void call(T target, A a, B b, C c, JobContext context) throws Exception;
    }

    @FunctionalInterface
    non-sealed interface Proc4WithContext<T, A, B, C, D> extends JobRef {
        void call(T target, A a, B b, C c, D d, JobContext context) throws Exception;
    }
}
