package hongbao.store;

import hongbao.store.packets.StoredPacket;
import hongbao.store.records.ReceivedClaim;
import hongbao.store.records.RecordTotals;

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
    private final OwnedSets ownership;

    /** Every SET owned by this process. */
    public StoreSets(SetLayout layout, List<Store> stores) {
        this(layout, stores, OwnedSets.all(layout.sets()));
    }

    public StoreSets(SetLayout layout, List<Store> stores, OwnedSets ownership) {
        if (stores.size() != layout.sets()) {
            throw new IllegalArgumentException(layout.sets() + " SETs need as many stores, not " + stores.size());
        }
        this.layout = layout;
        this.stores = List.copyOf(stores);
        this.ownership = ownership;
    }

    public OwnedSets ownership() {
        return ownership;
    }

    /** The SETs this node owns: their engines, journals and jobs run here. */
    public List<Integer> ownedSets() {
        return ownership.ownedSets();
    }

    public List<Store> owned() {
        return ownedSets().stream().map(stores::get).toList();
    }

    /**
     * The store of a SET for work only its owner may do, such as a read that must include every acknowledged open.
     *
     * @throws NotOwnedHere if another node owns it
     */
    public Store ownedSet(int set) {
        if (!ownership.owns(set)) {
            throw new NotOwnedHere(set);
        }
        return stores.get(set);
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

    /** The packet's store for work of its owner (see {@link #ownedSet}). */
    public Store ownedForPacket(long packetId) {
        return ownedSet(layout.setOfPacket(packetId));
    }

    /** The user's wallet SET's store for work of its owner (see {@link #ownedSet}). */
    public Store ownedForUser(String userId) {
        return ownedSet(layout.setOfUser(userId));
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

    /** Personal packets between two users, newest first: each lives in its sender's SET, so each is asked and merged. */
    public List<StoredPacket> packetsBetween(String userId, String otherId, Long beforePacketId, int limit) {
        return merged(store -> store.packetsBetween(userId, otherId, beforePacketId, limit), limit);
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

    /** A user's sent packets, newest first: a packet's id puts it in its sender's SET, so that one SET is asked. */
    public List<StoredPacket> sentPackets(String senderId, Instant from, Instant until, Long beforePacketId, int limit) {
        return ownedForUser(senderId).sentPackets(senderId, from, until, beforePacketId, limit);
    }

    public RecordTotals sentTotals(String senderId, Instant from, Instant until) {
        return ownedForUser(senderId).sentTotals(senderId, from, until);
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
        ownership.handOver(stores::get, failures);
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
