package hongbao.store.merchants;

/** An app's openid bound to one of our users. */
public record OpenidBinding(String wxappid, String openid, String userId) {
}
