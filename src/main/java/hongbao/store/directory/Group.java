package hongbao.store.directory;

import java.util.List;

/** A group and its members; {@code ownerId} is null for groups the admin made, the seed user for a fission group. */
public record Group(String groupId, String name, List<String> members, String ownerId) {
}
