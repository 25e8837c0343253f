package io.taskbound.dashboard;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open event stream, with a thread of its own that writes its events: a tab that stops reading
 * (a laptop asleep, a stalled network) blocks only its own writes, never the feed or other tabs. A
 * stream whose events back up is ended; the browser's {@code EventSource} opens a new one, which
 * starts with the whole overview again.
 */
final class FeedStream {

    /** Events a stream may have waiting before it is ended as too slow. */
    static final int BACKLOG = 32;

    private record Event(String name, String json) {}

    private final SseEmitter emitter;
    private final BlockingQueue<Event> waiting = new ArrayBlockingQueue<>(BACKLOG);
    private final Consumer<FeedStream> onEnd;
    private final Thread writer;
    private volatile boolean ended;

    FeedStream(SseEmitter emitter, Consumer<FeedStream> onEnd) {
        this.emitter = emitter;
        this.onEnd = onEnd;
        emitter.onCompletion(this::end);
        emitter.onTimeout(this::end);
        emitter.onError(error -> end());
        this.writer = Thread.ofVirtual().name("taskbound-dashboard-stream").unstarted(this::write);
    }

    SseEmitter emitter() {
        return emitter;
    }

    void start() {
        writer.start();
    }

    /** Queues an event, its data already JSON; ends the stream if too many wait. */
    void send(String name, String json) {
        if (!ended && !waiting.offer(new Event(name, json))) {
            end();
            emitter.complete();
        }
    }

    /** A comment, which the browser ignores: it finds the streams whose tab has gone. */
    void keepAlive() {
        send("", "");
    }

    void complete() {
        end();
        emitter.complete();
    }

    private void end() {
        if (!ended) {
            ended = true;
            writer.interrupt();
            onEnd.accept(this);
        }
    }

    private void write() {
        try {
            while (!ended) {
                Event event = waiting.take();
                emitter.send(
                        event.name().isEmpty()
                                ? SseEmitter.event().comment("keep-alive")
                                : SseEmitter.event()
                                        .name(event.name())
                                        .reconnectTime(2_000)
                                        .data(event.json()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | IllegalStateException e) {
            // The tab has gone, or the server ended the request.
            end();
        }
    }
}
