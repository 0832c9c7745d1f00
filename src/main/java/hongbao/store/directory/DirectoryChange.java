package hongbao.store.directory;

/**
 * A committed change to one user or one group (its row or its memberships), as carried between processes: the payload
 * of a PostgreSQL notification is {@code user:<id>} or {@code group:<id>}.
 */
public record DirectoryChange(Kind kind, String id) {
    public enum Kind {
        USER("user:"),
        GROUP("group:");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public DirectoryChange {
        if (kind == null || id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a directory change names a kind and an id");
        }
    }

    public static DirectoryChange user(String userId) {
        return new DirectoryChange(Kind.USER, userId);
    }

    public static DirectoryChange group(String groupId) {
        return new DirectoryChange(Kind.GROUP, groupId);
    }

    public String payload() {
        return kind.prefix + id;
    }

    /** @throws IllegalArgumentException for a payload this code does not write */
    public static DirectoryChange parse(String payload) {
        for (Kind kind : Kind.values()) {
            if (payload.startsWith(kind.prefix)) {
                return new DirectoryChange(kind, payload.substring(kind.prefix.length()));
            }
        }
        throw new IllegalArgumentException("not a directory change: " + payload);
    }
}
