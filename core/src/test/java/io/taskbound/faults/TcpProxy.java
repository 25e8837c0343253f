package io.taskbound.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on the loopback between the engine and PostgreSQL that breaks the network on
 * command, the ways a real one breaks:
 *
 * <ul>
 *   <li>{@link #blackhole()}: stops carrying traffic without closing anything, as a dead router or a
 *       NAT that forgot the connection does; both ends keep their half-open sockets and wait;
 *   <li>{@link #cutConnections()}: resets every open connection at once;
 *   <li>{@link #cutWhenClientSends}: resets a connection the moment the client sends a given
 *       statement text, either before the server sees it or just after, so that a test can break a
 *       commit exactly when it wants.
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean blackholed;
    private volatile boolean refusing;
    private volatile byte[] cutPattern;
    private volatile byte[] armPattern;
    private volatile boolean forwardBeforeCut;
    private volatile byte[] slowPattern;
    private volatile long slowNanos;
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    /** A proxy to {@code targetPort} on the loopback, listening on a free port. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the proxy's port", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Stops carrying traffic: bytes are swallowed, nothing is closed, new connections get no answer. */
    public void blackhole() {
        blackholed = true;
    }

    /** Carries traffic again; connections that lost bytes meanwhile stay broken for their owners. */
    public void restore() {
        blackholed = false;
        refusing = false;
    }

    /** Resets every connection open now, and refuses new ones until {@link #restore()}. */
    public void refuse() {
        refusing = true;
        cutConnections();
    }

    /** Resets every connection open now. */
    public void cutConnections() {
        sockets.forEach(TcpProxy::reset);
    }

    /**
     * Resets the next {@code times} connections on which the client sends {@code text}: before the
     * server sees it, or, with {@code forwardFirst}, just after, so that the server acts on it but the
     * client never hears the answer.
     */
    public void cutWhenClientSends(String text, boolean forwardFirst, int times) {
        armPattern = null;
        forwardBeforeCut = forwardFirst;
        cutPattern = text.getBytes(StandardCharsets.UTF_8);
        cutsLeft.set(times);
    }

    /**
     * As {@link #cutWhenClientSends}, but only on a connection that sent {@code first} before: to cut
     * the commit of one kind of transaction, say.
     */
    public void cutWhenClientSendsAfter(String first, String text, boolean forwardFirst, int times) {
        cutWhenClientSends(text, forwardFirst, times);
        armPattern = first.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Holds each packet in which the client sends {@code text} for {@code delay} before passing it
     * on: a database that answers, slowly, to one kind of statement. {@link Duration#ZERO} stops it.
     */
    public void delayWhenClientSends(String text, Duration delay) {
        slowNanos = delay.toNanos();
        slowPattern = delay.isZero() ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** How many connections {@link #cutWhenClientSends} has reset so far. */
    public int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                if (refusing) {
                    reset(client);
                    continue;
                }
                if (blackholed) {
                    // Accepted, never answered: the client's start-up waits like a black hole's.
                    Thread.ofVirtual().start(() -> swallow(client));
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                // Closed, or the target is down (it is being restarted): the client sees a closed connection.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[64 * 1024];
        boolean armed = false;
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (blackholed) {
                    continue;
                }
                byte[] pattern = cutPattern;
                byte[] arm = armPattern;
                boolean wasArmed = armed;
                armed |= fromClient && arm != null && contains(buffer, read, arm);
                if (fromClient
                        && pattern != null
                        && (arm == null || wasArmed)
                        && contains(buffer, read, pattern)
                        && cutsLeft.getAndDecrement() > 0) {
                    if (forwardBeforeCut) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                    cuts.incrementAndGet();
                    reset(from);
                    if (forwardBeforeCut) {
                        // Let the server read what was sent before its end goes too.
                        to.shutdownOutput();
                    } else {
                        reset(to);
                    }
                    return;
                }
                byte[] slow = slowPattern;
                if (fromClient && slow != null && contains(buffer, read, slow)) {
                    LockSupport.parkNanos(slowNanos);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
            if (!blackholed) {
                to.shutdownOutput();
            }
        } catch (IOException e) {
            if (!blackholed) {
                reset(to);
            }
        }
    }

    private void swallow(Socket client) {
        byte[] buffer = new byte[4096];
        try (InputStream in = client.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // nothing goes anywhere
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        sockets.forEach(TcpProxy::reset);
    }
}
