package hongbao.store.directory;

public record User(String userId, String name) {
}
