package hongbao.jmh;

import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketRules;
import hongbao.domain.SetLayout;
import hongbao.domain.PayMethod;
import hongbao.domain.Splits;
import hongbao.domain.Transfer;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The engine's in-memory apply step for one open: decide, take the next share, derive the claim transfer. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OpenApplyBenchmark {
    private Packet packet;
    private final Instant now = Instant.parse("2026-11-25T12:00:00Z");

    @Setup
    public void createPacket() {
        PacketOrder order = new PacketOrder(PacketKind.GROUP_LUCKY, "sender", "g", null, "hi", 10_000, 100, false,
                PayMethod.BALANCE);
        long[] shares = Splits.lucky(10_000, 100, 1, 20_000, false, new SplittableRandom(1));
        packet = PacketRules.create(1L << 30, order, shares, now, Duration.ofHours(24));
    }

    @Benchmark
    public Transfer openOneShare() {
        PacketRules.Opened opened = (PacketRules.Opened) PacketRules.open(packet, "u1", false, now, SetLayout.ONE_SET);
        return Transfer.claim(opened.after(), opened.claim());
    }
}
