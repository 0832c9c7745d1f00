package hongbao.jmh;

import hongbao.domain.Splits;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of computing a packet's split at send time. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SplitsBenchmark {
    @Param({"10", "100"})
    int count;

    private final SplittableRandom random = new SplittableRandom(42);

    @Benchmark
    public long[] lucky() {
        return Splits.lucky(count * 150L, count, 1, 20_000, false, random);
    }

    @Benchmark
    public long[] luckyDistinct() {
        return Splits.lucky(count * 150L, count, 1, 20_000, true, random);
    }

    @Benchmark
    public long[] equal() {
        return Splits.equal(count * 150L, count);
    }
}
