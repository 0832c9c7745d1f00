package hongbao.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * 红包记录: a user's received and sent packets as lines of a list, and the bounds of a records year. Best luck is
 * {@link PacketViews#bestLuck}'s rule, so a line and the packet's result page never disagree.
 */
public final class Records {
    /** The years a client may ask for: before the first packet id's year nothing exists, past the last nothing can. */
    public static final int FIRST_YEAR = 2026;
    public static final int LAST_YEAR = 2094;

    private Records() {
    }

    public enum Role {
        RECEIVED,
        SENT
    }

    /**
     * One packet the user opened: their share, whether it was the best luck of the (finished) packet, and where its
     * money is ({@link ClaimStatus}). {@code senderName} is the sender as the user reads it (a merchant's send_name).
     */
    public record Received(String packetId, PacketKind kind, String senderId, String senderName, String groupId,
            String greeting, long amount, Instant at, boolean best, ClaimStatus status) {
    }

    /** One packet the user sent, paid for: how far it was opened, and what came back. */
    public record Sent(String packetId, PacketKind kind, String groupId, String toUserId, String greeting, long total,
            int count, int openedCount, long openedAmount, PacketStatus status, long refunded, Instant createdAt,
            Instant finishedAt) {
    }

    /**
     * A year's received totals: how many packets opened and how much money, of which {@code pendingCount} and
     * {@code pendingAmount} are not in the wallet yet, and how many times 手气最佳. A cancelled claim is in none of
     * them: its money never came.
     */
    public record ReceivedSummary(int year, long count, long amount, long pendingCount, long pendingAmount,
            long bestCount) {
    }

    /** Adds up a year's received lines, one at a time, into its {@link ReceivedSummary}. */
    public static final class ReceivedTally {
        private final int year;
        private long count;
        private long amount;
        private long pendingCount;
        private long pendingAmount;
        private long bestCount;

        public ReceivedTally(int year) {
            this.year = year;
        }

        public void add(Received line) {
            switch (line.status()) {
                case CANCELLED -> {
                    return;
                }
                case PENDING -> {
                    pendingCount++;
                    pendingAmount += line.amount();
                }
                case CREDITED -> {
                }
            }
            count++;
            amount += line.amount();
            if (line.best()) {
                bestCount++;
            }
        }

        public ReceivedSummary summary() {
            return new ReceivedSummary(year, count, amount, pendingCount, pendingAmount, bestCount);
        }
    }

    /** A year's sent totals: how many packets sent (paid for), and their totals' sum. */
    public record SentSummary(int year, long count, long amount) {
    }

    /** The line for the user's own claim of a packet, given all the packet's claims; empty if the user has none. */
    public static Optional<Received> received(Packet packet, List<Claim> claims, String userId, String senderName) {
        Optional<Claim> best = PacketViews.bestLuck(packet, claims);
        return claims.stream().filter(c -> c.userId().equals(userId)).findFirst()
                .map(mine -> new Received(Long.toString(packet.id()), packet.kind(), packet.senderId(), senderName,
                        packet.groupId(), packet.greeting(), mine.amount(), mine.claimedAt(),
                        best.map(b -> b.seq() == mine.seq()).orElse(false), ClaimStatus.of(packet, mine)));
    }

    public static Sent sent(Packet packet) {
        return new Sent(Long.toString(packet.id()), packet.kind(), packet.groupId(), packet.toUserId(), packet.greeting(),
                packet.total(), packet.count(), packet.openedCount(), packet.openedAmount(), packet.status(),
                packet.refunded(), packet.createdAt(), packet.finishedAt());
    }

    /** Only packets whose money left the sender are sent records; an unpaid or cancelled one never was a gift. */
    public static final Set<PacketStatus> SENT_STATUSES = EnumSet.of(PacketStatus.ACTIVE, PacketStatus.FINISHED,
            PacketStatus.EXPIRED);

    /**
     * Where a page of received records ended: a claim's time and packet id, newest first. Opaque to clients
     * ({@code <claimedMs>_<packetId>}), since two claims of one user may share a millisecond.
     */
    public record ReceivedCursor(long claimedMs, long packetId) {
        public static ReceivedCursor of(Received line) {
            return new ReceivedCursor(line.at().toEpochMilli(), Long.parseLong(line.packetId()));
        }

        public static ReceivedCursor parse(String text) {
            if (text == null || !text.matches("[0-9]{1,18}_[0-9]{1,19}")) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "before must be a cursor returned as next");
            }
            int split = text.indexOf('_');
            try {
                return new ReceivedCursor(Long.parseLong(text.substring(0, split)), Long.parseLong(text.substring(split + 1)));
            } catch (NumberFormatException tooLarge) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "before must be a cursor returned as next");
            }
        }

        @Override
        public String toString() {
            return claimedMs + "_" + packetId;
        }
    }

    /** The first instant of a year (UTC, the service's calendar, as its day partitions). */
    public static Instant yearStart(int year) {
        return LocalDate.of(year, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Parses a year as a query gives it: four digits in [FIRST_YEAR, LAST_YEAR]. */
    public static int parseYear(String text) {
        if (text == null || !text.matches("[0-9]{4}")) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "year must be four digits, such as 2026");
        }
        int year = Integer.parseInt(text);
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "year must be " + FIRST_YEAR + ".." + LAST_YEAR);
        }
        return year;
    }

    public static Role parseRole(String text) {
        if ("received".equals(text)) {
            return Role.RECEIVED;
        }
        if ("sent".equals(text)) {
            return Role.SENT;
        }
        throw new Rejection(ErrorCode.INVALID_REQUEST, "role must be received or sent");
    }
}
