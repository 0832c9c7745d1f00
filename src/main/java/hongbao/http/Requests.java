package hongbao.http;

import java.util.List;

/** Request bodies of API v1. Boxed fields so that a missing field is told apart from zero. */
final class Requests {
    private Requests() {
    }

    record CreateUser(String userId, String name) {
    }

    record IssueToken(Long ttlSeconds) {
    }

    record BankMovement(Long amount, String reference) {
    }

    record CreateGroup(String groupId, String name, List<String> members) {
    }

    record AddMembers(List<String> userIds) {
    }

    record CreateUsers(List<CreateUser> users) {
    }

    record ShareRequest(List<String> userIds) {
    }

    record CreateMerchant(String mchId, String name, String apiKey, String wxappid) {
    }

    record OpenidBinding(String openid, String userId) {
    }

    record OpenidBindings(List<OpenidBinding> bindings) {
    }

    /** Times are ISO-8601 strings, parsed by hand so that a bad one is named in the 400. */
    record CreateCampaign(String campaignId, String name, String wishing, Long budget, Long amountMin, Long amountMax,
            Integer winPermille, String startsAt, String endsAt) {
    }

    record CampaignEntries(List<String> openids) {
    }

    record SendPacket(String kind, String groupId, String toUserId, Long total, Long count, String greeting,
            String payMethod, Boolean distinct) {
    }

    record DevLogin(String userId) {
    }
}
