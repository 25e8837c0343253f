package io.taskbound.process;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The main class of a worker JVM of a process lane: it opens the {@link WorkerBeans} its lane's
 * first frame names (the application's Spring context, with the starter), says it is ready, then
 * runs one job at a time as the lane asks over stdin and answers over stdout (see {@link
 * WorkerProtocol}).
 *
 * <p>Its stdout carries only frames. The first thing it does is point {@code System.out} at stderr,
 * so a job or a library printing to stdout lands in the worker's stderr (which the lane reads and
 * keeps the tail of) instead of corrupting the protocol; only native code writing to file
 * descriptor 1 could still do that, and the lane then sees bytes that are not a frame and ends the
 * worker. It exits when the lane says goodbye, when its stdin ends, or when the application's JVM
 * that started it is gone, so that no worker outlives its application.
 */
public final class WorkerMain {

    private WorkerMain() {}

    public static void main(String[] args) throws IOException {
        // Before anything else runs, or the first class that caches System.out would keep stdout.
        PrintStream errors = System.err;
        System.setOut(errors);
        DataOutputStream frames =
                new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024));
        DataInputStream requests =
                new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 64 * 1024));
        exitWithParent();
        WorkerBeans beans = open(requests);
        WorkerCalls calls = new WorkerCalls(
                message -> {
                    synchronized (frames) {
                        WorkerProtocol.write(frames, message);
                    }
                },
                beans);
        send(frames, new WorkerProtocol.Ready(ProcessHandle.current().pid()));
        while (true) {
            WorkerProtocol.Message request;
            try {
                request = WorkerProtocol.read(requests);
            } catch (EOFException applicationGone) {
                exit(beans);
                return;
            }
            switch (request) {
                case WorkerProtocol.Run run -> send(frames, calls.call(run));
                case WorkerProtocol.Bye bye -> {
                    send(frames, bye);
                    exit(beans);
                    return;
                }
                default -> throw new IOException("A worker takes only RUN and BYE frames, got " + request);
            }
        }
    }

    // Threads the application's context started need not be daemons: the worker exits all the same.
    private static void exit(WorkerBeans beans) {
        try {
            beans.close();
        } finally {
            System.exit(0);
        }
    }

    /**
     * Reads the lane's {@link WorkerProtocol.Start} and opens what it names. A worker that cannot
     * exits with status 2 and the reason on its stderr, which the lane reports as a failed start.
     */
    private static WorkerBeans open(DataInputStream requests) throws IOException {
        if (!(WorkerProtocol.read(requests) instanceof WorkerProtocol.Start start)) {
            throw new IOException("A worker's first frame from its lane must be START");
        }
        if (start.beans() == null) {
            return new PlainWorkerBeans();
        }
        try {
            Class<?> source = Class.forName(start.beans(), true, WorkerMain.class.getClassLoader());
            return ((WorkerBeans.Source) source.getConstructor().newInstance()).open(start.settings());
        } catch (Throwable e) {
            System.err.println("Taskbound worker: cannot make job objects with " + start.beans() + ": " + e);
            e.printStackTrace(System.err);
            System.err.flush();
            Runtime.getRuntime().halt(2);
            throw new AssertionError("halted");
        }
    }

    private static void send(DataOutputStream frames, WorkerProtocol.Message message) throws IOException {
        synchronized (frames) {
            WorkerProtocol.write(frames, message);
        }
    }

    // A worker busy with a long job reads no stdin, so it would not notice its application dying:
    // the parent's exit is watched instead, and the worker halts with it.
    private static void exitWithParent() {
        ProcessHandle.current()
                .parent()
                .ifPresent(parent ->
                        parent.onExit().thenRun(() -> Runtime.getRuntime().halt(1)));
    }
}
