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

    record Deposit(Long amount, String reference) {
    }

    record CreateGroup(String groupId, String name, List<String> members) {
    }

    record AddMembers(List<String> userIds) {
    }

    record SendPacket(String kind, String groupId, String toUserId, Long total, Long count, String greeting,
            String payMethod, Boolean distinct) {
    }

    record DevLogin(String userId) {
    }
}
