package hongbao.sim;

import static hongbao.sim.SimModel.require;

import hongbao.app.CampaignService;
import hongbao.domain.CampaignWin;
import hongbao.domain.EntryOutcome;
import hongbao.domain.HbType;
import hongbao.domain.Merchant;
import hongbao.domain.MerchantError;
import hongbao.domain.MerchantRefusal;
import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.RedpackOrder;
import hongbao.domain.Rejection;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.packets.StoredPacket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The merchant side of the workload: sendredpack bills (new, replayed, replayed with other parameters) and entries
 * into a campaign whose wins the dispatcher pays. Its model: a bill's answer never changes, nobody wins twice, a win
 * keeps its amount, wins never exceed the budget, and once settled every win is paid by exactly one packet.
 */
final class SimMerchant {
    static final Merchant MERCHANT = new Merchant("1900000109", "shop", "k".repeat(32), "wxsim");
    private static final String CAMPAIGN = "c1";
    private static final long BUDGET = 40_000;

    private final SplittableRandom random;
    private final SimModel model;
    private final List<String> users;
    private final Consumer<String> record;
    private final LongConsumer packetSent;
    /** Bills asked for so far, by billno; each with the answer it got, once it got one. */
    private final Map<String, RedpackOrder> orders = new TreeMap<>();
    private final Map<String, String> answers = new TreeMap<>();
    private final Map<String, Long> wins = new TreeMap<>();
    private int billnos;

    SimMerchant(SplittableRandom random, SimModel model, List<String> users, Consumer<String> record, LongConsumer packetSent) {
        this.random = random;
        this.model = model;
        this.users = users;
        this.record = record;
        this.packetSent = packetSent;
    }

    private static String openid(String userId) {
        return "o-" + userId;
    }

    /** Before the faults start: the merchant, its openids, its money and its campaign. */
    void setUp(SimNode node, Instant now) {
        node.merchantAccounts.create(MERCHANT);
        Map<String, String> bindings = new TreeMap<>();
        users.forEach(user -> bindings.put(openid(user), user));
        node.merchantAccounts.bind(MERCHANT.mchId(), bindings);
        fund(node, "mch-funds-0", 300_000);
        node.campaigns.create(MERCHANT.mchId(), new CampaignService.Terms(CAMPAIGN, "campaign", "wish", BUDGET, 100, 5_000,
                500, now, now.plus(Duration.ofDays(30))));
    }

    private void fund(SimNode node, String reference, long amount) {
        node.accounts.deposit(MERCHANT.walletUserId(), amount, reference);
        model.depositAcknowledged(reference, new SimModel.Deposit(MERCHANT.walletUserId(), amount));
    }

    /** A bill: new, or the same billno again (the same request, or other parameters, which must be refused). */
    void bill(SimNode node) {
        RedpackOrder order;
        if (!orders.isEmpty() && random.nextInt(3) == 0) {
            List<RedpackOrder> earlier = new ArrayList<>(orders.values());
            order = earlier.get(random.nextInt(earlier.size()));
            if (random.nextInt(4) == 0) {
                order = new RedpackOrder(order.type(), order.billno(), order.openid(), order.totalAmount() + 100,
                        order.totalNum(), order.sendName(), order.wishing(), order.actName(), order.remark(), order.sceneId());
            }
        } else {
            boolean group = random.nextBoolean();
            int num = group ? 3 + random.nextInt(3) : 1;
            order = new RedpackOrder(group ? HbType.GROUP : HbType.NORMAL, "b" + billnos++,
                    openid(users.get(random.nextInt(users.size()))), 100L * num + random.nextLong(20_000 - 100L * num),
                    num, "shop", "wish", "act", "remark", "");
            orders.put(order.billno(), order);
        }
        boolean asFirst = orders.get(order.billno()).equals(order);
        String name = "bill " + order.billno() + " " + order.type() + " " + order.totalAmount() + (asFirst ? "" : " altered");
        try {
            String answer = node.redpacks.send(MERCHANT, order, order.toString(), packet -> "sent " + packet.id());
            require(asFirst, name + " was sent, though its billno was used with other parameters");
            String before = answers.putIfAbsent(order.billno(), answer);
            require(before == null || before.equals(answer), name + " answered " + before + " and later " + answer);
            long packetId = Long.parseLong(answer.substring("sent ".length()));
            if (!model.ackedSends.containsKey(packetId)) {
                Packet packet = node.sets.forPacket(packetId).packet(packetId).orElseThrow().packet();
                model.sendAcknowledged(packet);
                packetSent.accept(packetId);
            }
            record.accept(name + " -> " + answer);
        } catch (MerchantRefusal refused) {
            require(refused.code() != MerchantError.FATAL_ERROR || !asFirst || !answers.containsKey(order.billno()),
                    name + " replayed as first sent was refused: " + refused.getMessage());
            record.accept(name + " -> " + refused.code());
        } catch (Rejection refused) {
            record.accept(name + " -> " + refused.code());
        } catch (RuntimeException failed) {
            record.accept(name + " -> failed: " + failed.getMessage());
        }
    }

    /** One to three openids enter the campaign in one call. */
    void enter(SimNode node) {
        List<String> openids = new ArrayList<>();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            openids.add(openid(users.get(random.nextInt(users.size()))));
        }
        String name = "enter " + openids;
        try {
            List<CampaignService.Entry> entries = node.campaigns.enter(MERCHANT.mchId(), CAMPAIGN, openids);
            Set<String> wonInThisCall = new HashSet<>();
            for (CampaignService.Entry entry : entries) {
                String user = entry.openid().substring(2);
                Long earlier = wins.get(user);
                if (entry.outcome() == EntryOutcome.WON) {
                    require(earlier == null, user + " won " + earlier + " and then won again " + entry.amount());
                    wins.put(user, entry.amount());
                    wonInThisCall.add(user);
                } else if (entry.outcome() == EntryOutcome.ALREADY_WON) {
                    require(earlier == null || earlier.equals(entry.amount()), user + " won " + earlier
                            + " but is told " + entry.amount());
                    wins.putIfAbsent(user, entry.amount());
                }
            }
            record.accept(name + " -> " + entries.stream().map(e -> e.outcome() + ":" + e.amount()).toList());
        } catch (Rejection refused) {
            record.accept(name + " -> " + refused.code());
        } catch (RuntimeException failed) {
            record.accept(name + " -> failed: " + failed.getMessage());
        }
    }

    private Store home(SimNode node) {
        return node.sets.forUser(MERCHANT.walletUserId());
    }

    /** Wins known to the model survive with their amounts; the budget holds; each paid win has its own packet. */
    void check(StoreSets sets) {
        List<CampaignWin> stored = sets.forUser(MERCHANT.walletUserId()).campaignWins(MERCHANT.mchId(), CAMPAIGN, null, 1000);
        Map<String, CampaignWin> byUser = new TreeMap<>();
        long promised = 0;
        Set<Long> packets = new HashSet<>();
        for (CampaignWin win : stored) {
            byUser.put(win.userId(), win);
            promised += win.amount();
            if (win.state() == CampaignWin.State.PAID) {
                require(packets.add(win.packetId()), "packet " + win.packetId() + " pays two wins");
                Optional<StoredPacket> packet = sets.forPacket(win.packetId()).packet(win.packetId());
                require(packet.isPresent() && packet.get().packet().total() == win.amount()
                        && packet.get().packet().kind() == PacketKind.PERSONAL
                        && packet.get().packet().toUserId().equals(win.userId()), "win " + win + " is paid by " + packet);
            }
        }
        require(promised <= BUDGET, "wins of " + promised + " exceed the budget of " + BUDGET);
        wins.forEach((user, amount) -> require(byUser.containsKey(user) && byUser.get(user).amount() == amount,
                "the win of " + amount + " by " + user + " is lost or changed: " + byUser.get(user)));
    }

    /** The clean phase: the merchant can pay, and the dispatcher pays every win. */
    void settle(SimNode node) {
        fund(node, "mch-funds-final", 1_000_000);
        node.dispatcher.dispatch();
    }

    void checkQuiescent(SimNode node) {
        check(node.sets);
        for (CampaignWin win : home(node).campaignWins(MERCHANT.mchId(), CAMPAIGN, null, 1000)) {
            require(win.state() == CampaignWin.State.PAID, "win " + win + " never paid");
        }
    }
}
