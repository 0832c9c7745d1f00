package hongbao.store;

public record User(String userId, String name) {
}
