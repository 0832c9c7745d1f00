package hongbao.engine;

import static hongbao.testing.Properties.tries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import hongbao.domain.PacketIds;
import hongbao.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Ids after a restart come after every stored one, whatever the clock says (found by the simulation); every id
 * carries its shard in its last two decimal digits, for the proxy, without losing uniqueness or order.
 */
class PacketIdGeneratorTest {
    private static final Instant T = Instant.parse("2026-11-28T04:00:00.123Z");
    private static final long FIRST_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long TEN_YEARS_MILLIS = Duration.ofDays(3653).toMillis();

    /** One call: the shard asked for and how far the clock moved before it (mostly not at all). */
    record Call(int shard, int clockStepMillis) {
    }

    /** After the id epoch's first millisecond, whose first id would be 0, which no packet has. */
    private static Gen<Long> startMillis() {
        return longs().between(FIRST_MILLIS + 1, FIRST_MILLIS + TEN_YEARS_MILLIS);
    }

    private static Gen<Integer> shards() {
        return integers().between(0, PacketIds.MAX_SHARDS - 1);
    }

    /** Any id, with or without the routing hint, as a store may hold it. */
    private static Gen<Long> storedIds() {
        return startMillis().zip(shards(), integers().between(0, (1 << PacketIds.SEQUENCE_BITS) - 1),
                (millis, shard, sequence) -> PacketIds.compose(Instant.ofEpochMilli(millis), shard, sequence));
    }

    /** Few shards, so most calls share a shard and a millisecond with earlier ones; the clock seldom moves. */
    private static Gen<List<Call>> calls() {
        Gen<Call> call = integers().between(0, 7).zip(integers().between(0, 99),
                (shard, step) -> new Call(shard * 8 + shard % 3, step < 97 ? 0 : step - 96));
        return lists().of(call).ofSizeBetween(1, 3000);
    }

    @Test
    void everyIdCarriesItsShardInItsLastTwoDigitsAndNoIdRepeats() {
        tries(200).forAll(startMillis(), calls()).checkAssert((start, calls) -> {
            MutableClock clock = new MutableClock(Instant.ofEpochMilli(start));
            PacketIdGenerator generator = new PacketIdGenerator(clock, 0);
            Set<Long> seen = new HashSet<>();
            Map<Integer, Long> lastOfShard = new HashMap<>();
            Instant lastCreated = Instant.MIN;

            for (Call call : calls) {
                clock.advance(Duration.ofMillis(call.clockStepMillis()));
                long id = generator.next(call.shard());

                assertThat(id % 100).as("hint of %d", id).isEqualTo(call.shard());
                assertThat(PacketIds.shardOf(id)).isEqualTo(call.shard());
                assertThat(PacketIds.hasRoutingHint(id)).isTrue();
                assertThat(seen.add(id)).as("%d is new", id).isTrue();
                assertThat(id).isGreaterThan(lastOfShard.getOrDefault(call.shard(), 0L));
                assertThat(PacketIds.createdAtOf(id)).isAfterOrEqualTo(lastCreated).isAfterOrEqualTo(clock.instant());
                lastOfShard.put(call.shard(), id);
                lastCreated = PacketIds.createdAtOf(id);
            }
        });
    }

    @Test
    void aFullMillisecondOfOneShardRollsIntoTheNext() {
        tries(100).forAll(startMillis(), shards()).checkAssert((start, shard) -> {
            Instant frozen = Instant.ofEpochMilli(start);
            PacketIdGenerator generator = new PacketIdGenerator(Clock.fixed(frozen, ZoneOffset.UTC), 0);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 2 * PacketIdGenerator.IDS_PER_SHARD_PER_MILLISECOND + 10; i++) {
                ids.add(generator.next(shard));
            }

            long inFrozenMillisecond = ids.stream().filter(id -> PacketIds.createdAtOf(id).equals(frozen)).count();
            assertThat(inFrozenMillisecond).isBetween(655L, 656L);
            assertThat(PacketIds.createdAtOf(ids.get((int) inFrozenMillisecond))).isEqualTo(frozen.plusMillis(1));
            assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(id -> id % 100 == shard);
        });
    }

    @Test
    void everyShardGetsItsOwn655IdsInOneMillisecond() {
        PacketIdGenerator generator = new PacketIdGenerator(Clock.fixed(T, ZoneOffset.UTC), 0);
        Set<Long> seen = new HashSet<>();
        for (int round = 0; round < PacketIdGenerator.IDS_PER_SHARD_PER_MILLISECOND; round++) {
            for (int shard = 0; shard < PacketIds.MAX_SHARDS; shard++) {
                long id = generator.next(shard);
                assertThat(seen.add(id)).isTrue();
                assertThat(PacketIds.createdAtOf(id)).isEqualTo(T);
            }
        }
        assertThat(seen).hasSize(PacketIds.MAX_SHARDS * 655);
    }

    @Test
    void aRestartNeverRepeatsAStoredIdWhateverTheClockSays() {
        tries(500).forAll(storedIds(), integers().between(-5000, 5000), shards()).checkAssert((stored, clockOffsetMillis, shard) -> {
            long storedMillis = PacketIds.createdAtOf(stored).toEpochMilli();
            Clock clock = Clock.fixed(Instant.ofEpochMilli(storedMillis + clockOffsetMillis), ZoneOffset.UTC);
            PacketIdGenerator restarted = new PacketIdGenerator(clock, stored);

            long first = restarted.next(shard);

            assertThat(first).isGreaterThan(stored);
            assertThat(PacketIds.createdAtOf(first)).isAfter(PacketIds.createdAtOf(stored));
            assertThat(restarted.next(shard)).isGreaterThan(first);
        });
    }

    @Test
    void aRestartInTheSameMillisecondRepeatsNoStoredId() {
        long stored = PacketIds.compose(T, 7, 0);
        PacketIdGenerator restarted = new PacketIdGenerator(Clock.fixed(T, ZoneOffset.UTC), stored);

        long first = restarted.next(7);

        assertThat(first).isGreaterThan(stored);
        assertThat(PacketIds.createdAtOf(first)).isAfter(PacketIds.createdAtOf(stored));
        assertThat(restarted.next(7)).isGreaterThan(first);
    }

    @Test
    void aClockBehindTheNewestStoredIdStillGivesLaterIds() {
        long stored = PacketIds.compose(T, 3, 41);
        PacketIdGenerator restarted = new PacketIdGenerator(Clock.fixed(T.minusSeconds(5), ZoneOffset.UTC), stored);

        assertThat(restarted.next(3)).isGreaterThan(stored);
    }

    @Test
    void anEmptyStoreFollowsTheClock() {
        PacketIdGenerator fresh = new PacketIdGenerator(Clock.fixed(T, ZoneOffset.UTC), 0);

        assertThat(PacketIds.createdAtOf(fresh.next(0))).isEqualTo(T);
    }
}
