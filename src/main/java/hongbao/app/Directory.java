package hongbao.app;

import hongbao.store.Group;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.User;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users and groups held in memory, so that membership checks on the hot path cost no query. Filled from the
 * store on start and updated by {@link AccountService} after each committed change.
 */
public final class Directory {
    private final Map<String, String> userNames = new ConcurrentHashMap<>();
    private final Map<String, String> groupNames = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> groupMembers = new ConcurrentHashMap<>();
    private final Map<String, String> groupOwners = new ConcurrentHashMap<>();

    public Directory(StoreSets sets) {
        for (Store store : sets.all()) {
            for (User user : store.users()) {
                userNames.put(user.userId(), user.name());
            }
            for (Group group : store.groups()) {
                groupNames.put(group.groupId(), group.name());
                groupMembers.put(group.groupId(), concurrentSet(group.members()));
                if (group.ownerId() != null) {
                    groupOwners.put(group.groupId(), group.ownerId());
                }
            }
        }
    }

    public Optional<String> userName(String userId) {
        return Optional.ofNullable(userNames.get(userId));
    }

    public boolean userExists(String userId) {
        return userNames.containsKey(userId);
    }

    public boolean groupExists(String groupId) {
        return groupNames.containsKey(groupId);
    }

    public boolean isMember(String groupId, String userId) {
        Set<String> members = groupMembers.get(groupId);
        return members != null && members.contains(userId);
    }

    /** The user who may add members to the group, if it has one (fission groups do; the admin's do not). */
    public Optional<String> groupOwner(String groupId) {
        return Optional.ofNullable(groupOwners.get(groupId));
    }

    public List<String> members(String groupId) {
        return List.copyOf(new TreeSet<>(groupMembers.getOrDefault(groupId, Set.of())));
    }

    /** A user as others see them: id and display name. */
    public record Person(String userId, String name) {
    }

    /** A group with its members' names, for a member's list of chats. */
    public record GroupCard(String groupId, String name, List<Person> members) {
    }

    /** The first {@code limit} users by id. */
    public List<Person> people(int limit) {
        return new TreeSet<>(userNames.keySet()).stream().limit(limit).map(this::person).toList();
    }

    /** The groups the user belongs to, by id. A scan of all groups: fine for the UI's occasional call, not a hot path. */
    public List<GroupCard> groupsOf(String userId) {
        return new TreeSet<>(groupNames.keySet()).stream()
                .filter(groupId -> isMember(groupId, userId))
                .map(groupId -> new GroupCard(groupId, groupNames.get(groupId),
                        members(groupId).stream().map(this::person).toList()))
                .toList();
    }

    private Person person(String userId) {
        return new Person(userId, userNames.getOrDefault(userId, userId));
    }

    void userCreated(String userId, String name) {
        userNames.put(userId, name);
    }

    void groupCreated(String groupId, String name, String ownerId, Collection<String> members) {
        groupMembers.put(groupId, concurrentSet(members));
        if (ownerId != null) {
            groupOwners.put(groupId, ownerId);
        }
        groupNames.put(groupId, name);
    }

    void membersAdded(String groupId, Collection<String> userIds) {
        groupMembers.computeIfAbsent(groupId, g -> ConcurrentHashMap.newKeySet()).addAll(userIds);
    }

    void memberRemoved(String groupId, String userId) {
        groupMembers.getOrDefault(groupId, Set.of()).remove(userId);
    }

    private static Set<String> concurrentSet(Collection<String> values) {
        Set<String> set = ConcurrentHashMap.newKeySet();
        set.addAll(values);
        return set;
    }
}
