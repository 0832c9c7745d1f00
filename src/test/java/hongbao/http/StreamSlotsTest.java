package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A node holds only as many event streams as its heap and its file descriptors allow. */
class StreamSlotsTest {

    @Test
    void aStreamBeyondTheBoundIsRefusedUntilOneEnds() {
        StreamSlots slots = new StreamSlots(2);
        assertThat(slots.tryTake()).isTrue();
        assertThat(slots.tryTake()).isTrue();
        assertThat(slots.tryTake()).as("a third stream").isFalse();
        assertThat(slots.held()).isEqualTo(2);

        slots.release();
        assertThat(slots.tryTake()).as("once a stream ended").isTrue();
        assertThat(slots.tryTake()).isFalse();
    }

    @Test
    void theBoundIsHalfTheHeapOrTheDescriptorsLeftWhicheverIsFewer() {
        long mib = 1024 * 1024;
        // The service file's MemoryMax=2G gives the JVM a 512 MB heap by default: half of it at 48 kB a stream.
        assertThat(StreamSlots.boundFor(512 * mib, 65_536)).isEqualTo(5_461);
        assertThat(StreamSlots.boundFor(8192 * mib, 20_000)).as("descriptors first").isEqualTo(19_000);
        assertThat(StreamSlots.boundFor(8192 * mib, 1_024)).as("a default ulimit -n still holds a few").isEqualTo(100);
    }
}
