package hongbao.app;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import hongbao.store.DirectoryChange;
import hongbao.store.DirectoryChanges;
import hongbao.store.Group;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.User;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    /** Caffeine's longest expiry (about 150 years): never, in practice. */
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    /**
     * @param usersMax        users whose name (or absence) is cached
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
    private final LoadingCache<String, Optional<String>> userNames;
    private final LoadingCache<String, Optional<CachedGroup>> groups;

    public Directory(StoreSets sets) {
        this(sets, DEFAULT_BOUNDS);
    }

    public Directory(StoreSets sets, Bounds bounds) {
        this.sets = sets;
        this.userNames = Caffeine.newBuilder()
                .maximumSize(bounds.usersMax())
                .expireAfter(Directory.<String>absenceBriefly(bounds.absenceTtl()))
                .build(new UserLoader());
        this.groups = Caffeine.newBuilder()
                .maximumWeight(bounds.groupMembersMax())
                .weigher((String groupId, Optional<CachedGroup> group) ->
                        1 + group.map(cached -> cached.members().size()).orElse(0))
                .expireAfter(Directory.<CachedGroup>absenceBriefly(bounds.absenceTtl()))
                .build(this::loadGroup);
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
        Map<String, Optional<String>> names = userNames.getAll(userIds);
        return userIds.stream().filter(userId -> names.getOrDefault(userId, Optional.empty()).isEmpty()).toList();
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
        Map<String, Optional<String>> names = userNames.getAll(memberIds);
        return new GroupCard(groupId, group.name(), memberIds.stream()
                .map(member -> new Person(member, names.getOrDefault(member, Optional.empty()).orElse(member)))
                .toList());
    }

    /** Cached users, after pending evictions: for tests of the bound. */
    long cachedUsers() {
        userNames.cleanUp();
        return userNames.estimatedSize();
    }

    /** The weight of the cached groups (see {@link Bounds#groupMembersMax}), after pending evictions: for tests of the bound. */
    long cachedGroupWeight() {
        groups.cleanUp();
        return groups.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    private Optional<CachedGroup> loadGroup(String groupId) {
        return sets.forGroup(groupId).group(groupId)
                .map(group -> new CachedGroup(group.name(), group.ownerId(), Set.copyOf(group.members())));
    }

    /**
     * Users by id, one query per SET for a batch (a group card's members). User rows are never changed or deleted,
     * only created, so a batch read racing a creation can at worst remember an absence for its short while.
     */
    private final class UserLoader implements CacheLoader<String, Optional<String>> {
        @Override
        public Optional<String> load(String userId) {
            return sets.forUser(userId).users(List.of(userId)).stream().findFirst().map(User::name);
        }

        @Override
        public Map<String, Optional<String>> loadAll(Set<? extends String> userIds) {
            Map<String, Optional<String>> names = new HashMap<>();
            userIds.forEach(userId -> names.put(userId, Optional.empty()));
            userIds.stream().collect(Collectors.groupingBy(sets::forUser)).forEach((store, ids) ->
                    store.users(List.copyOf(ids)).forEach(user -> names.put(user.userId(), Optional.of(user.name()))));
            return names;
        }
    }

    /** Present entries stay until evicted or told to go; absent ones expire after the ttl. */
    private static <V> Expiry<String, Optional<V>> absenceBriefly(Duration absenceTtl) {
        return Expiry.creating((String key, Optional<V> value) -> value.isPresent() ? FOREVER : absenceTtl);
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
                case USER -> userNames.invalidate(change.id());
                case GROUP -> groups.invalidate(change.id());
            }
        }

        @Override
        public void missedSome() {
            userNames.asMap().keySet().removeIf(userId -> sets.forUser(userId) == store);
            groups.asMap().keySet().removeIf(groupId -> sets.forGroup(groupId) == store);
        }
    }
}
