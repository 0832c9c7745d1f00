package hongbao.store;

import hongbao.domain.Records;
import hongbao.domain.SetLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** The SETs' stores, and which one holds a given shard, packet, user or group. */
public final class StoreSets implements AutoCloseable {
    private final SetLayout layout;
    private final List<Store> stores;

    public StoreSets(SetLayout layout, List<Store> stores) {
        if (stores.size() != layout.sets()) {
            throw new IllegalArgumentException(layout.sets() + " SETs need as many stores, not " + stores.size());
        }
        this.layout = layout;
        this.stores = List.copyOf(stores);
    }

    public static StoreSets single(Store store, int shards) {
        return new StoreSets(new SetLayout(shards, 1), List.of(store));
    }

    public SetLayout layout() {
        return layout;
    }

    public Store set(int index) {
        return stores.get(index);
    }

    public List<Store> all() {
        return stores;
    }

    public Store forPacket(long packetId) {
        return stores.get(layout.setOfPacket(packetId));
    }

    public Store forUser(String userId) {
        return stores.get(layout.setOfUser(userId));
    }

    public Store forGroup(String groupId) {
        return stores.get(layout.setOfGroup(groupId));
    }

    public Store forReference(String reference) {
        return stores.get(layout.setOfReference(reference));
    }

    /** A group's packets, newest first: its members send from every SET, so each is asked and the pages merged. */
    public List<StoredPacket> groupPackets(String groupId, Long beforePacketId, int limit) {
        return merged(store -> store.groupPackets(groupId, beforePacketId, limit), limit);
    }

    /** Personal packets to a user, newest first: each lives in its sender's SET, so each is asked and the pages merged. */
    public List<StoredPacket> packetsTo(String userId, Long beforePacketId, int limit) {
        return merged(store -> store.packetsTo(userId, beforePacketId, limit), limit);
    }

    /** A user's claims, newest first: each lives in its packet's SET, so each is asked and the pages merged. */
    public List<ReceivedClaim> receivedClaims(String userId, Instant from, Instant until, Records.ReceivedCursor before,
            int limit) {
        if (stores.size() == 1) {
            return stores.get(0).receivedClaims(userId, from, until, before, limit);
        }
        return stores.stream()
                .flatMap(store -> store.receivedClaims(userId, from, until, before, limit).stream())
                .sorted(Comparator.comparing((ReceivedClaim r) -> r.claim().claimedAt())
                        .thenComparingLong(r -> r.claim().packetId()).reversed())
                .limit(limit)
                .toList();
    }

    public RecordTotals receivedTotals(String userId, Instant from, Instant until) {
        return stores.stream().map(store -> store.receivedTotals(userId, from, until)).reduce(RecordTotals.NONE, RecordTotals::plus);
    }

    /** A user's sent packets, newest first: a packet's id puts it in its sender's SET, so that one SET is asked. */
    public List<StoredPacket> sentPackets(String senderId, Instant from, Instant until, Long beforePacketId, int limit) {
        return forUser(senderId).sentPackets(senderId, from, until, beforePacketId, limit);
    }

    public RecordTotals sentTotals(String senderId, Instant from, Instant until) {
        return forUser(senderId).sentTotals(senderId, from, until);
    }

    /** The newest of every SET's page: each page is newest first and as long as asked, so none is missed. */
    private List<StoredPacket> merged(Function<Store, List<StoredPacket>> page, int limit) {
        if (stores.size() == 1) {
            return page.apply(stores.get(0));
        }
        return stores.stream()
                .flatMap(store -> page.apply(store).stream())
                .sorted(Comparator.comparingLong((StoredPacket stored) -> stored.packet().id()).reversed())
                .limit(limit)
                .toList();
    }

    public boolean ping() {
        return stores.stream().allMatch(Store::ping);
    }

    /** Closes every store, even if one fails; the first failure is thrown with the others attached. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Store store : stores) {
            try {
                store.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
