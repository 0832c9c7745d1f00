package hongbao.domain;

/**
 * A validated sendredpack or sendgroupredpack request: WeChat's fields, amounts in fen. {@code sceneId} may be empty.
 */
public record RedpackOrder(HbType type, String billno, String openid, long totalAmount, int totalNum, String sendName,
        String wishing, String actName, String remark, String sceneId) {
}
