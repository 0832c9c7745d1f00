package hongbao.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A client of GET /v1/events/stream: its frames, read on a thread of their own, awaited with a bound. */
public final class SseStream implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One event frame: its SSE id (the resume cursor) and its data. */
    public record Frame(String id, String type, JsonNode data) {
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<Frame> received = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Stream<String> lines;
    private final Thread reader;
    public final int status;

    public SseStream(String baseUrl, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/events/stream"))
                .header("Authorization", "Bearer " + token).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<Stream<String>> response = client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            this.status = response.statusCode();
            this.lines = response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        this.reader = Thread.ofVirtual().start(this::read);
    }

    private void read() {
        String[] id = {null};
        String[] type = {null};
        try {
            lines.forEach(line -> {
                if (line.startsWith("id: ")) {
                    id[0] = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    type[0] = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    try {
                        frames.add(new Frame(id[0], type[0], MAPPER.readTree(line.substring(6))));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (UncheckedIOException closed) {
            // The test closed the stream, or the server ended it.
        }
    }

    /** Waits (at most 10 s) for the next frame that matches, keeping every frame seen on the way. */
    public Frame await(Predicate<Frame> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Frame next;
            try {
                next = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (next == null) {
                throw new AssertionError("no matching event within 10 s; received " + received);
            }
            received.add(next);
            if (wanted.test(next)) {
                return next;
            }
        }
    }

    /** Every frame awaited so far, in the order received. */
    public List<Frame> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        lines.close();
        client.shutdownNow();
        reader.interrupt();
    }
}
