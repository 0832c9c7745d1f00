package hongbao.app;

import hongbao.domain.Merchant;
import hongbao.domain.Packet;
import hongbao.domain.Party;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names users read for the people, groups and merchants they deal with. A merchant is never shown by its wallet id
 * ({@code mch.<mchId>}): its packet shows the send_name of the bill that sent it, as WeChat does, and a packet without a
 * bill (a campaign's win) the merchant's name, which its wallet user carries.
 */
public final class DisplayNames {
    private final StoreSets sets;
    private final Directory directory;

    public DisplayNames(StoreSets sets, Directory directory) {
        this.sets = sets;
        this.directory = directory;
    }

    /** A user's name (a merchant wallet's is the merchant's name); the id only for a user that does not exist. */
    public String user(String userId) {
        return directory.userName(userId).orElse(userId);
    }

    public String group(String groupId) {
        return directory.groupName(groupId).orElse(groupId);
    }

    public String party(Party party) {
        return party.kind() == Party.Kind.GROUP ? group(party.id()) : user(party.id());
    }

    public String sender(Packet packet) {
        return senders(List.of(packet)).get(packet.id());
    }

    /**
     * The sender's name of each packet, by packet id: users' from the directory's cache, merchants' bills read with one
     * query per SET that holds some (a merchant's bills are in its wallet's SET, with its packets).
     */
    public Map<Long, String> senders(Collection<Packet> packets) {
        Map<Store, List<Long>> merchantPackets = new IdentityHashMap<>();
        for (Packet packet : packets) {
            if (Merchant.isWalletUserId(packet.senderId())) {
                merchantPackets.computeIfAbsent(sets.forPacket(packet.id()), store -> new ArrayList<>()).add(packet.id());
            }
        }
        Map<Long, String> sendNames = new HashMap<>();
        merchantPackets.forEach((store, ids) -> sendNames.putAll(store.sendNames(ids)));
        Map<Long, String> names = new HashMap<>();
        for (Packet packet : packets) {
            names.put(packet.id(), sendNames.getOrDefault(packet.id(), user(packet.senderId())));
        }
        return names;
    }
}
