package hongbao.app;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import hongbao.store.directory.DirectoryChange;
import hongbao.store.directory.DirectoryChanges;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.directory.User;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Users, groups and memberships, read from the SET that holds each through bounded caches, so that the membership
 * check of every open costs no query for the groups in use. No process holds them all, and every process sees the
 * others' changes: an entry is dropped when its SET's change feed names it (this process's commits at once, other
 * processes' a moment later on PostgreSQL), every entry of a SET when the feed says changes may have been missed. That a
 * user or group does not exist is remembered only for {@link Bounds#absenceTtl}, in case its creation is not heard.
 */
public final class Directory {
    /**
     * About 40 MB of users and 60 MB of memberships at most (a cached membership costs about 60 bytes, a user about
     * 200): the hot part of 10 million users and a million groups, not all of it.
     */
    public static final Bounds DEFAULT_BOUNDS = new Bounds(200_000, 1_000_000, Duration.ofSeconds(1));
    /** Ids remembered as absent, per kind: enough for a burst of lookups of unknown ids within one ttl. */
    private static final long ABSENT_MAX = 100_000;

    /**
     * @param usersMax        users whose name is cached
     * @param groupMembersMax cached groups weighed by their members (one each, plus one per group): a huge group costs
     *                        its size, and one larger than this is read again each time it is needed
     * @param absenceTtl      how long "no such user" or "no such group" is believed
     */
    public record Bounds(long usersMax, long groupMembersMax, Duration absenceTtl) {
        public Bounds {
            if (usersMax < 1 || groupMembersMax < 1 || absenceTtl.isNegative()) {
                throw new IllegalArgumentException("directory bounds must be positive: " + usersMax + ", " + groupMembersMax
                        + ", " + absenceTtl);
            }
        }
    }

    private record CachedGroup(String name, String ownerId, Set<String> members) {
    }

    private final StoreSets sets;
    private final PresentOrAbsent<String> userNames;
    private final PresentOrAbsent<CachedGroup> groups;

    public Directory(StoreSets sets) {
        this(sets, DEFAULT_BOUNDS);
    }

    public Directory(StoreSets sets, Bounds bounds) {
        this.sets = sets;
        this.userNames = new PresentOrAbsent<>(Caffeine.newBuilder()
                .maximumSize(bounds.usersMax())
                .build(new UserLoader()), bounds.absenceTtl());
        this.groups = new PresentOrAbsent<>(Caffeine.newBuilder()
                .maximumWeight(bounds.groupMembersMax())
                .weigher((String groupId, CachedGroup group) -> 1 + group.members().size())
                .build(this::loadGroup), bounds.absenceTtl());
        for (Store store : sets.all()) {
            store.directoryChanges().subscribe(new Forgetting(store));
        }
    }

    public Optional<String> userName(String userId) {
        return userNames.get(userId);
    }

    public boolean userExists(String userId) {
        return userName(userId).isPresent();
    }

    /** Those of the users that do not exist, in the order given; the uncached ones are read with a query per SET. */
    public List<String> unknownUsers(Collection<String> userIds) {
        Map<String, String> names = userNames.present.getAll(userIds);
        return userIds.stream().filter(userId -> !names.containsKey(userId)).toList();
    }

    public boolean groupExists(String groupId) {
        return groups.get(groupId).isPresent();
    }

    public boolean isMember(String groupId, String userId) {
        return groups.get(groupId).map(group -> group.members().contains(userId)).orElse(false);
    }

    /** The user who may add members to the group, if it has one (fission groups do; the admin's do not). */
    public Optional<String> groupOwner(String groupId) {
        return groups.get(groupId).map(CachedGroup::ownerId);
    }

    /** How many members the group has (0 for no such group). */
    public int memberCount(String groupId) {
        return groups.get(groupId).map(group -> group.members().size()).orElse(0);
    }

    /** The group's name as its members read it. */
    public Optional<String> groupName(String groupId) {
        return groups.get(groupId).map(CachedGroup::name);
    }

    public List<String> members(String groupId) {
        return groups.get(groupId).map(group -> group.members().stream().sorted().toList()).orElse(List.of());
    }

    /** A user as others see them: id and display name. */
    public record Person(String userId, String name) {
    }

    /** A group with its members' names, for a member's list of chats. */
    public record GroupCard(String groupId, String name, List<Person> members) {
    }

    /** The first {@code limit} users by id: each SET's first ones, merged. */
    public List<Person> people(int limit) {
        return sets.all().stream()
                .flatMap(store -> store.firstUsers(limit).stream())
                .sorted(Comparator.comparing(User::userId))
                .limit(limit)
                .map(user -> new Person(user.userId(), user.name()))
                .toList();
    }

    /**
     * The groups the user belongs to, by id. A group's memberships live in the group's SET, so every SET is asked (one
     * index range each); the cards come from the caches.
     */
    public List<GroupCard> groupsOf(String userId) {
        return sets.all().stream()
                .flatMap(store -> store.groupIdsOf(userId).stream())
                .sorted()
                .flatMap(groupId -> groups.get(groupId).map(group -> card(groupId, group)).stream())
                .toList();
    }

    private GroupCard card(String groupId, CachedGroup group) {
        List<String> memberIds = group.members().stream().sorted().toList();
        Map<String, String> names = userNames.present.getAll(memberIds);
        return new GroupCard(groupId, group.name(), memberIds.stream()
                .map(member -> new Person(member, names.getOrDefault(member, member)))
                .toList());
    }

    /** Cached users, after pending evictions: for tests of the bound. */
    long cachedUsers() {
        userNames.present.cleanUp();
        return userNames.present.estimatedSize();
    }

    /** The weight of the cached groups (see {@link Bounds#groupMembersMax}), after pending evictions: for tests of the bound. */
    long cachedGroupWeight() {
        groups.present.cleanUp();
        return groups.present.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /** Null when there is no such group: nothing is cached then (see {@link PresentOrAbsent}). */
    private CachedGroup loadGroup(String groupId) {
        return sets.forGroup(groupId).group(groupId)
                .map(group -> new CachedGroup(group.name(), group.ownerId(), Set.copyOf(group.members())))
                .orElse(null);
    }

    /**
     * Users by id, one query per SET for a batch (a group card's members); null (nothing cached) for an unknown one.
     * User rows are never changed or deleted, only created, so a batch read (which Caffeine holds no lock for) racing
     * a creation can at worst miss the new user, who is then read again next time.
     */
    private final class UserLoader implements CacheLoader<String, String> {
        @Override
        public String load(String userId) {
            return sets.forUser(userId).users(List.of(userId)).stream().findFirst().map(User::name).orElse(null);
        }

        @Override
        public Map<String, String> loadAll(Set<? extends String> userIds) {
            Map<String, String> names = new HashMap<>();
            userIds.stream().collect(Collectors.groupingBy(sets::forUser)).forEach((store, ids) ->
                    store.users(List.copyOf(ids)).forEach(user -> names.put(user.userId(), user.name())));
            return names;
        }
    }

    /**
     * What exists, in a bounded cache without expiry (a hit is a hash lookup plus Caffeine's bookkeeping, about 80 ns
     * here, where a per-entry expiry to time absences out cost 400), and what did not exist when last read, in a
     * second cache that forgets it after the ttl, consulted only on a miss. A drop waits for a load of the same key in
     * progress, so a load that read before a commit is not kept after it; a remembered absence may outlive a creation
     * by the ttl.
     */
    private static final class PresentOrAbsent<V> {
        private final LoadingCache<String, V> present;
        private final Cache<String, Boolean> absent;

        PresentOrAbsent(LoadingCache<String, V> present, Duration absenceTtl) {
            this.present = present;
            this.absent = Caffeine.newBuilder().maximumSize(ABSENT_MAX).expireAfterWrite(absenceTtl).build();
        }

        Optional<V> get(String key) {
            V cached = present.getIfPresent(key);
            if (cached != null) {
                return Optional.of(cached);
            }
            if (absent.getIfPresent(key) != null) {
                return Optional.empty();
            }
            V loaded = present.get(key);
            if (loaded == null) {
                absent.put(key, Boolean.TRUE);
            }
            return Optional.ofNullable(loaded);
        }

        void forget(String key) {
            present.invalidate(key);
            absent.invalidate(key);
        }

        void forgetAll(Predicate<String> keys) {
            present.asMap().keySet().removeIf(keys);
            absent.asMap().keySet().removeIf(keys);
        }
    }

    /** Drops what one SET's feed says changed; everything of that SET when changes were missed. */
    private final class Forgetting implements DirectoryChanges.Listener {
        private final Store store;

        Forgetting(Store store) {
            this.store = store;
        }

        @Override
        public void changed(DirectoryChange change) {
            switch (change.kind()) {
                case USER -> userNames.forget(change.id());
                case GROUP -> groups.forget(change.id());
            }
        }

        @Override
        public void missedSome() {
            userNames.forgetAll(userId -> sets.forUser(userId) == store);
            groups.forgetAll(groupId -> sets.forGroup(groupId) == store);
        }
    }
}
