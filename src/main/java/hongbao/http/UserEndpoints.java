package hongbao.http;

import hongbao.app.AccountService;
import hongbao.app.PacketService;
import com.fasterxml.jackson.annotation.JsonInclude;
import hongbao.domain.Claim;
import hongbao.domain.ClaimStatus;
import hongbao.app.RecordService;
import hongbao.domain.ErrorCode;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketStatus;
import hongbao.domain.PacketView;
import hongbao.domain.PacketViews;
import hongbao.domain.Party;
import hongbao.domain.PayMethod;
import hongbao.domain.PayStatus;
import hongbao.domain.Payments;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hongbao.domain.Records;
import hongbao.domain.Rejection;
import hongbao.engine.OpenReceipt;
import hongbao.engine.PendingAnswer;
import hongbao.store.StoreException;
import hongbao.store.records.StoredAnswer;
import hongbao.store.ledger.WalletEntry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls made with a user's token: wallet, sending, grabbing, opening, viewing. */
final class UserEndpoints {
    private static final Logger log = LoggerFactory.getLogger(UserEndpoints.class);
    private static final int MAX_SHARED_AT_ONCE = 100;
    private final Auth auth;
    private final AccountService accounts;
    private final PacketService packets;
    private final RecordService records;
    private final IdempotencyGuard idempotency;

    UserEndpoints(Auth auth, AccountService accounts, PacketService packets, RecordService records,
            IdempotencyGuard idempotency) {
        this.auth = auth;
        this.accounts = accounts;
        this.packets = packets;
        this.records = records;
        this.idempotency = idempotency;
    }

    Answer wallet(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        return Answer.json(200, Map.of("userId", userId, "balance", accounts.balance(userId)));
    }

    /** The caller's groups with their members' names: the chats of the web UI. */
    Answer groups(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        return Answer.json(200, Map.of("items", accounts.groupsOf(userId)));
    }

    /** The other side of a wallet line, by name only: a merchant's wallet id is internal. */
    record PartyView(Party.Kind kind, String name) {
    }

    record WalletItem(String id, String kind, long amount, long balanceAfter, String packetId, Instant at,
            PartyView party) {
    }

    Answer transactions(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        int limit = exchange.intQuery("limit", 50, 200);
        List<AccountService.StatementLine> lines = accounts.transactions(userId, exchange.cursor("before").orElse(null),
                limit);
        List<WalletItem> items = lines.stream()
                .map(line -> {
                    WalletEntry e = line.entry();
                    return new WalletItem(e.transferId(), e.kind().name(), e.amount(), e.balanceAfter(),
                            e.packetId() == null ? null : e.packetId().toString(), e.at(),
                            line.party() == null ? null : new PartyView(line.party().kind(), line.partyName()));
                })
                .toList();
        String next = lines.size() == limit ? Long.toString(lines.getLast().entry().seq()) : null;
        return page(items, next);
    }

    Answer send(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        return idempotency.run(exchange, userId, true, slot -> {
            PacketOrder order = order(userId, Json.read(exchange.body(), Requests.SendPacket.class));
            // Read before the send: the answer is rendered in the sending transaction, where no lookup belongs.
            String senderName = accounts.userName(userId).orElse(userId);
            Optional<PendingAnswer> pending = slot.map(s -> new PendingAnswer(s,
                    packet -> storedAnswer(s.requestHash(), sent(packet, userId, senderName))));
            Packet packet = packets.send(order, pending);
            return sent(packet, userId, senderName);
        });
    }

    /** The payment order a third-party packet waits on: what the app hands to the provider's SDK. */
    record PaymentOrder(String paymentId, long amount) {
    }

    private static Answer sent(Packet packet, String senderId, String senderName) {
        PacketView view = PacketViews.render(packet, List.of(), senderId, senderName);
        if (packet.payStatus() != PayStatus.UNPAID) {
            return Answer.json(201, view);
        }
        ObjectNode body = Json.MAPPER.valueToTree(view);
        body.set("payment", Json.MAPPER.valueToTree(new PaymentOrder(Payments.paymentId(packet.id()), packet.total())));
        return Answer.json(201, body);
    }

    private static StoredAnswer storedAnswer(String hash, Answer answer) {
        return new StoredAnswer(hash, answer.status(), answer.body());
    }

    Answer grab(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        long packetId = PacketIds.parse(exchange.pathParam("id"));
        Optional<ErrorCode> reason = packets.grab(userId, packetId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("available", reason.isEmpty());
        reason.ifPresent(r -> body.put("reason", r.name()));
        return Answer.json(200, body);
    }

    /**
     * The open's answer: the share, and what the result page shows first. Not the claims: an open is the hot call, and
     * the whole view costs O(claims) to build and send on every open. {@code ?view=full} adds the packet view as
     * GET /v1/packets/{id} answers it, read right after the open; {@code viewUnavailable} is true when that read
     * failed (the share is taken all the same).
     */
    record Opened(String packetId, long amount, int seq, boolean credited, ClaimStatus claimStatus, PacketKind kind,
            String senderId, String senderName, String greeting, PacketStatus status, int count, int openedCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) PacketView packet,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean viewUnavailable) {
    }

    Answer open(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        long packetId = PacketIds.parse(exchange.pathParam("id"));
        boolean full = fullView(exchange);
        return idempotency.run(exchange, userId, false, full ? "view=full" : "", slot -> {
            OpenReceipt receipt;
            try {
                receipt = packets.open(userId, packetId);
            } catch (Rejection refused) {
                if (slot.isPresent() && refused.code() == ErrorCode.ALREADY_CLAIMED) {
                    return openedBefore(userId, packetId, full);
                }
                throw refused;
            }
            Claim claim = receipt.claim();
            Packet packet = receipt.packet();
            Optional<PacketView> view = full ? viewAfterOpen(userId, packetId) : Optional.empty();
            return Answer.json(200, new Opened(Long.toString(packetId), claim.amount(), claim.seq(), claim.credited(),
                    ClaimStatus.of(packet, claim), packet.kind(), packet.senderId(), packets.senderName(packet),
                    packet.greeting(), packet.status(), packet.count(), packet.openedCount(), view.orElse(null),
                    full && view.isEmpty() ? Boolean.TRUE : null));
        });
    }

    /**
     * The share is taken and durable by now: a view that cannot be read must not turn the open's answer into a 503,
     * which would say that nothing was applied.
     */
    private Optional<PacketView> viewAfterOpen(String userId, long packetId) {
        try {
            return Optional.of(packets.view(userId, packetId));
        } catch (StoreException unreadable) {
            log.warn("packet {}: the open took its share, but its full view could not be read: {}", packetId,
                    unreadable.getMessage());
            return Optional.empty();
        }
    }

    /**
     * An open with an Idempotency-Key whose caller holds a share already: the first open's answer, rebuilt from the
     * claim, for a retry whose first answer was lost (a timeout between nodes, or an answer that could not be
     * remembered). Right after that open the packet had {@code seq} shares taken, and was FINISHED if that was the
     * last; {@code credited} and the full view are as they are now.
     */
    private Answer openedBefore(String userId, long packetId, boolean full) {
        PacketView now = packets.view(userId, packetId);
        PacketView.MyClaim claim = now.myClaim();
        if (claim == null) {
            throw new IllegalStateException("packet " + packetId + " refused " + userId + " as having a share, and shows none");
        }
        PacketStatus status = claim.seq() == now.count() ? PacketStatus.FINISHED : PacketStatus.ACTIVE;
        return Answer.json(200, new Opened(now.id(), claim.amount(), claim.seq(), claim.credited(), claim.status(),
                now.kind(), now.senderId(), now.senderName(), now.greeting(), status, now.count(), claim.seq(),
                full ? now : null, null));
    }

    /** {@code view=compact} (the default) or {@code view=full}; anything else is 400 INVALID_REQUEST. */
    private static boolean fullView(Exchange exchange) {
        return switch (exchange.query("view").orElse("compact")) {
            case "compact" -> false;
            case "full" -> true;
            default -> throw new Rejection(ErrorCode.INVALID_REQUEST, "view must be compact or full");
        };
    }

    /** A fission packet's first receiver adds people to its group, who may then open the remaining shares. */
    Answer share(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        long packetId = PacketIds.parse(exchange.pathParam("id"));
        Requests.ShareRequest request = Json.read(exchange.body(), Requests.ShareRequest.class);
        if (request.userIds() == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "userIds are required");
        }
        if (request.userIds().isEmpty() || request.userIds().size() > MAX_SHARED_AT_ONCE) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "userIds: 1-" + MAX_SHARED_AT_ONCE + " users at once");
        }
        String groupId = packets.groupToShareIn(userId, packetId);
        List<String> members = accounts.addMembers(groupId, request.userIds());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("packetId", Long.toString(packetId));
        body.put("groupId", groupId);
        body.put("members", members);
        return Answer.json(200, body);
    }

    Answer view(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        long packetId = PacketIds.parse(exchange.pathParam("id"));
        return Answer.json(200, packets.view(userId, packetId));
    }

    Answer groupPackets(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        String groupId = exchange.pathParam("groupId");
        int limit = exchange.intQuery("limit", 20, 100);
        List<PacketView> views = packets.groupPackets(userId, groupId, exchange.cursor("before").orElse(null), limit);
        String next = views.size() == limit ? views.get(views.size() - 1).id() : null;
        return page(views, next);
    }

    Answer inbox(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        int limit = exchange.intQuery("limit", 20, 100);
        List<PacketView> views = packets.inbox(userId, exchange.cursor("before").orElse(null), limit);
        String next = views.size() == limit ? views.get(views.size() - 1).id() : null;
        return page(views, next);
    }

    Answer chatPackets(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        int limit = exchange.intQuery("limit", 20, 100);
        List<PacketView> views = packets.chatPackets(userId, exchange.pathParam("userId"),
                exchange.cursor("before").orElse(null), limit);
        String next = views.size() == limit ? views.get(views.size() - 1).id() : null;
        return page(views, next);
    }

    /**
     * 红包记录: the caller's received or sent packets of a year, newest first. The first page (no cursor) also carries
     * the year's summary, what a records screen shows above its list; later pages leave it out, as it costs a pass
     * over the year.
     */
    Answer records(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        Records.Role role = Records.parseRole(exchange.query("role").orElse("received"));
        int year = exchange.query("year").map(Records::parseYear).orElseGet(records::currentYear);
        int limit = exchange.intQuery("limit", 20, 100);
        Optional<String> before = exchange.query("before");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("role", role.name().toLowerCase());
        body.put("year", year);
        if (role == Records.Role.RECEIVED) {
            Records.ReceivedCursor cursor = before.map(Records.ReceivedCursor::parse).orElse(null);
            List<Records.Received> items = records.received(userId, year, cursor, limit);
            body.put("summary", cursor == null ? records.receivedSummary(userId, year) : null);
            body.put("items", items);
            body.put("next", items.size() == limit ? Records.ReceivedCursor.of(items.getLast()).toString() : null);
        } else {
            Long cursor = exchange.cursor("before").orElse(null);
            List<Records.Sent> items = records.sent(userId, year, cursor, limit);
            body.put("summary", cursor == null ? records.sentSummary(userId, year) : null);
            body.put("items", items);
            body.put("next", items.size() == limit ? items.getLast().packetId() : null);
        }
        return Answer.json(200, body);
    }

    private static Answer page(List<?> items, String next) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("next", next);
        return Answer.json(200, body);
    }

    private static PacketOrder order(String senderId, Requests.SendPacket request) {
        PacketKind kind = parseEnum(PacketKind.class, "kind", request.kind());
        PayMethod payMethod = request.payMethod() == null ? PayMethod.BALANCE
                : parseEnum(PayMethod.class, "payMethod", request.payMethod());
        if (request.total() == null || request.count() == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "total and count are required");
        }
        // Saturating to int keeps a huge count huge, so the rules answer it as a broken limit.
        int count = (int) Math.clamp(request.count(), Integer.MIN_VALUE, Integer.MAX_VALUE);
        return new PacketOrder(kind, senderId, request.groupId(), request.toUserId(), request.greeting(), request.total(),
                count, Boolean.TRUE.equals(request.distinct()), payMethod);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String value) {
        if (value == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, field + " is required");
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw new Rejection(ErrorCode.INVALID_REQUEST, field + " must be one of " + List.of(type.getEnumConstants()));
    }
}
