package hongbao.app;

import hongbao.domain.Accounts;
import hongbao.domain.AuditReport;
import hongbao.domain.BankReference;
import hongbao.domain.ErrorCode;
import hongbao.domain.Limits;
import hongbao.domain.Packet;
import hongbao.domain.Party;
import hongbao.domain.Rejection;
import hongbao.domain.Transfer;
import hongbao.domain.TransferKind;
import hongbao.store.events.Events;
import hongbao.store.ledger.LedgerTx;
import hongbao.store.ledger.RecordedTransfer;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.ledger.WalletEntry;
import hongbao.store.WriteTx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Users, groups, deposits, wallets and the audit: the admin side of the service. */
public final class AccountService {
    private final StoreSets sets;
    private final Directory directory;
    private final Clock clock;
    private final Limits limits;
    private final DisplayNames names;

    public AccountService(StoreSets sets, Directory directory, Clock clock, Limits limits) {
        this.sets = sets;
        this.directory = directory;
        this.names = new DisplayNames(sets, directory);
        this.clock = clock;
        this.limits = limits;
    }

    /** @return true if created, false if it already existed with the same name */
    public synchronized boolean createUser(String userId, String name) {
        Ids.requireId("userId", userId);
        Ids.requireDisplayName("name", name);
        Optional<String> existing = directory.userName(userId);
        if (existing.isPresent()) {
            if (!existing.get().equals(name)) {
                throw new Rejection(ErrorCode.ALREADY_EXISTS, "user " + userId + " exists with another name");
            }
            return false;
        }
        return sets.forUser(userId).writeShared(tx -> tx.insertUser(userId, name, clock.instant()));
    }

    /** Most users one batch may create: enough to load a campaign's entrants in a few calls. */
    public static final int MAX_USERS_PER_BATCH = 1000;

    /**
     * Creates many users, all or none (one transaction per SET): each as {@link #createUser} would, a user that exists
     * with the same name left as it is. Returns how many were new.
     */
    public synchronized int createUsers(Map<String, String> namesByUserId) {
        if (namesByUserId.isEmpty() || namesByUserId.size() > MAX_USERS_PER_BATCH) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "1-" + MAX_USERS_PER_BATCH + " users per batch");
        }
        Map<Store, Map<String, String>> fresh = new LinkedHashMap<>();
        namesByUserId.forEach((userId, name) -> {
            Ids.requireId("userId", userId);
            Ids.requireDisplayName("name", name);
            Optional<String> existing = directory.userName(userId);
            if (existing.isPresent() && !existing.get().equals(name)) {
                throw new Rejection(ErrorCode.ALREADY_EXISTS, "user " + userId + " exists with another name");
            }
            if (existing.isEmpty()) {
                fresh.computeIfAbsent(sets.forUser(userId), store -> new LinkedHashMap<>()).put(userId, name);
            }
        });
        int created = 0;
        for (Map.Entry<Store, Map<String, String>> set : fresh.entrySet()) {
            set.getKey().writeShared(tx -> {
                set.getValue().forEach((userId, name) -> tx.insertUser(userId, name, clock.instant()));
                return null;
            });
            created += set.getValue().size();
        }
        return created;
    }

    public synchronized List<String> createGroup(String groupId, String name, List<String> members) {
        Ids.requireId("groupId", groupId);
        Ids.requireDisplayName("name", name);
        Set<String> memberSet = knownUsers(members);
        if (directory.groupExists(groupId)) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "group " + groupId + " exists");
        }
        sets.forGroup(groupId).writeShared(tx -> {
            requireCreated(tx.insertGroup(groupId, name, null, clock.instant()), groupId);
            tx.addMembers(groupId, memberSet);
            return null;
        });
        return directory.members(groupId);
    }

    /**
     * Makes a group owned by a user, with that user its only member, unless it exists: a fission packet's group, whose
     * owner alone may add members. Returns the owner of the group as it is now.
     */
    public synchronized String ensureOwnedGroup(String groupId, String name, String ownerId) {
        Ids.requireId("groupId", groupId);
        requireUser(ownerId);
        Optional<String> existingOwner = directory.groupOwner(groupId);
        if (existingOwner.isPresent()) {
            return existingOwner.get();
        }
        if (directory.groupExists(groupId)) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "group " + groupId + " exists without an owner");
        }
        sets.forGroup(groupId).writeShared(tx -> {
            requireCreated(tx.insertGroup(groupId, name, ownerId, clock.instant()), groupId);
            tx.addMembers(groupId, List.of(ownerId));
            return null;
        });
        return ownerId;
    }

    public synchronized List<String> addMembers(String groupId, List<String> userIds) {
        Ids.requireId("groupId", groupId);
        if (!directory.groupExists(groupId)) {
            throw new Rejection(ErrorCode.NOT_FOUND, "no group " + groupId);
        }
        Set<String> memberSet = knownUsers(userIds);
        sets.forGroup(groupId).writeShared(tx -> {
            tx.addMembers(groupId, memberSet);
            return null;
        });
        return directory.members(groupId);
    }

    /**
     * Takes a user out of a group: from then on they can neither open nor see the group's packets, those sent before
     * they left included, except the ones they sent or opened (their records link to them; PacketViews). The group's owner (a
     * fission packet's first receiver) cannot leave the group that exists for sharing their packet.
     */
    public synchronized List<String> removeMember(String groupId, String userId) {
        Ids.requireId("groupId", groupId);
        Ids.requireId("userId", userId);
        if (!directory.groupExists(groupId)) {
            throw new Rejection(ErrorCode.NOT_FOUND, "no group " + groupId);
        }
        if (!directory.isMember(groupId, userId)) {
            throw new Rejection(ErrorCode.NOT_FOUND, userId + " is not a member of group " + groupId);
        }
        if (directory.groupOwner(groupId).filter(userId::equals).isPresent()) {
            throw new Rejection(ErrorCode.FORBIDDEN, userId + " owns group " + groupId + " and cannot leave it");
        }
        sets.forGroup(groupId).writeShared(tx -> {
            tx.removeMember(groupId, userId);
            tx.appendEvent(Events.memberLeft(groupId, userId, clock.instant()));
            return null;
        });
        return directory.members(groupId);
    }

    /**
     * The directory said the group did not exist, but another server may have created it since (this one hears of it a
     * moment later): refused, and the transaction rolled back, rather than adding members to someone else's group.
     */
    private static void requireCreated(boolean created, String groupId) {
        if (!created) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "group " + groupId + " exists");
        }
    }

    private Set<String> knownUsers(List<String> userIds) {
        if (userIds == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "members are required");
        }
        if (userIds.size() > 10_000) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "at most 10000 members at once");
        }
        Set<String> set = new LinkedHashSet<>();
        for (String userId : userIds) {
            Ids.requireId("member", userId);
            set.add(userId);
        }
        directory.unknownUsers(set).stream().findFirst().ifPresent(unknown -> {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "unknown user " + unknown);
        });
        return set;
    }

    /** Moves money in from outside; the same reference twice is one deposit. Returns the balance after. */
    public long deposit(String userId, long amount, String reference) {
        requireBankMovement(userId, amount, reference);
        if (amount > limits.maxDeposit()) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "amount must be at most " + limits.maxDeposit() + " fen");
        }
        return moveByBankReference(new BankReference(TransferKind.DEPOSIT, reference, userId, amount),
                -limits.maxMoneySupply(), "the service's money supply limit is reached", ErrorCode.LIMIT_EXCEEDED);
    }

    /**
     * Pays money out to the user's bank (提现); the same reference twice is one withdrawal, and a wallet never goes
     * below zero. Returns the balance after.
     */
    public long withdraw(String userId, long amount, String reference) {
        requireBankMovement(userId, amount, reference);
        return moveByBankReference(new BankReference(TransferKind.WITHDRAWAL, reference, userId, amount), 0,
                "the wallet holds less than " + amount + " fen", ErrorCode.INSUFFICIENT_BALANCE);
    }

    private void requireBankMovement(String userId, long amount, String reference) {
        requireUser(userId);
        Ids.requireReference(reference);
        if (amount < 1) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "amount must be a positive integer (fen)");
        }
    }

    /**
     * The reference is taken in its own SET first, so that it names one movement across every SET; in one
     * transaction with the movement where both live in one SET, so that a refusal leaves nothing behind. Across SETs
     * a crash or a refusal between the two leaves the reference taken by this very movement, which a retry with the
     * same reference, user and amount then completes.
     */
    private long moveByBankReference(BankReference wanted, long fromFloor, String floorBroken, ErrorCode floorCode) {
        Store referenceStore = sets.forReference(wanted.reference());
        Store walletStore = sets.ownedForUser(wanted.userId());
        if (referenceStore != walletStore) {
            referenceStore.writeShared(tx -> takeReference(tx, wanted));
        }
        walletStore.write(tx -> {
            if (referenceStore == walletStore) {
                takeReference(tx, wanted);
            }
            Transfer transfer = wanted.transfer(clock.instant());
            Optional<RecordedTransfer> earlier = tx.recordedTransfer(transfer.id());
            if (earlier.isPresent()) {
                if (!earlier.get().sameMovementAs(transfer)) {
                    throw usedElsewhere(wanted);
                }
                return null;
            }
            if (!tx.move(transfer, fromFloor)) {
                throw new Rejection(floorCode, floorBroken);
            }
            tx.appendEvent(Events.bankMovement(wanted, transfer.at()));
            return null;
        });
        return walletStore.balance(Accounts.wallet(wanted.userId()));
    }

    private BankReference takeReference(LedgerTx tx, BankReference wanted) {
        if (!tx.takeBankReference(wanted, clock.instant()).sameMovementAs(wanted)) {
            throw usedElsewhere(wanted);
        }
        return wanted;
    }

    private static Rejection usedElsewhere(BankReference wanted) {
        return new Rejection(ErrorCode.IDEMPOTENCY_CONFLICT, "reference " + wanted.reference() + " was already used for "
                + "another " + wanted.kind().name().toLowerCase(java.util.Locale.ROOT));
    }

    public long balance(String userId) {
        requireUser(userId);
        return sets.ownedForUser(userId).balance(Accounts.wallet(userId));
    }

    /**
     * A wallet movement as a 零钱明细 line shows it: with the other side named (微信红包-来自Alice, 发出红包-家人群).
     * {@code party} and {@code partyName} are null for deposits and withdrawals, whose other side is the user's bank.
     */
    public record StatementLine(WalletEntry entry, Party party, String partyName) {
    }

    /** The page's packets are read with one query per SET that holds some, to name each line's other side. */
    public List<StatementLine> transactions(String userId, Long before, int limit) {
        requireUser(userId);
        List<WalletEntry> entries = sets.ownedForUser(userId).walletEntries(userId, before, limit);
        Map<Store, List<Long>> packetIdsBySet = new IdentityHashMap<>();
        entries.stream().map(WalletEntry::packetId).filter(Objects::nonNull).distinct()
                .forEach(id -> packetIdsBySet.computeIfAbsent(sets.forPacket(id), store -> new ArrayList<>()).add(id));
        Map<Long, Packet> packets = new HashMap<>();
        packetIdsBySet.forEach((store, ids) -> store.packetsWithIds(ids)
                .forEach(stored -> packets.put(stored.packet().id(), stored.packet())));
        Map<Long, String> senders = names.senders(packets.values());
        return entries.stream().map(entry -> {
            Packet packet = entry.packetId() == null ? null : packets.get(entry.packetId());
            Optional<Party> party = packet == null ? Optional.empty() : Party.of(entry.kind(), packet);
            // A claim names the packet's sender as the packet does (a merchant by its bill's send_name).
            return party.map(p -> new StatementLine(entry, p,
                    entry.kind() == TransferKind.CLAIM ? senders.get(packet.id()) : names.party(p)))
                    .orElseGet(() -> new StatementLine(entry, null, null));
        }).toList();
    }

    /** The first {@code limit} users by id, for the web UI's dev login. */
    public List<Directory.Person> people(int limit) {
        return directory.people(limit);
    }

    public Optional<String> userName(String userId) {
        return directory.userName(userId);
    }

    public List<Directory.GroupCard> groupsOf(String userId) {
        requireUser(userId);
        return directory.groupsOf(userId);
    }

    public AuditReport audit() {
        return SetsAudit.run(sets, clock.instant());
    }

    public void requireUser(String userId) {
        Ids.requireId("userId", userId);
        if (!directory.userExists(userId)) {
            throw new Rejection(ErrorCode.NOT_FOUND, "no user " + userId);
        }
    }
}
