package hongbao.http;

import hongbao.app.CampaignService;
import hongbao.app.MerchantAccounts;
import hongbao.app.AccountService;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.ErrorCode;
import hongbao.domain.Merchant;
import hongbao.domain.Rejection;
import hongbao.store.merchants.CampaignTotals;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The host app's backend managing merchants: creating them, binding openids, running campaigns (JSON, admin key). */
final class MerchantAdminEndpoints {
    private final MerchantAccounts merchants;
    private final CampaignService campaigns;
    private final AccountService accounts;

    MerchantAdminEndpoints(MerchantAccounts merchants, CampaignService campaigns, AccountService accounts) {
        this.merchants = merchants;
        this.campaigns = campaigns;
        this.accounts = accounts;
    }

    Answer createMerchant(Exchange exchange) {
        Requests.CreateMerchant request = Json.read(exchange.body(), Requests.CreateMerchant.class);
        Merchant merchant = new Merchant(request.mchId(), request.name(), request.apiKey(), request.wxappid());
        boolean created = merchants.create(merchant);
        return Answer.json(created ? 201 : 200, merchantView(merchant, false));
    }

    Answer merchant(Exchange exchange) {
        return Answer.json(200, merchantView(merchants.require(exchange.pathParam("mchId")), true));
    }

    /** Never the key: it was given once and stays with the merchant and the store. */
    private Map<String, Object> merchantView(Merchant merchant, boolean withBalance) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("mchId", merchant.mchId());
        view.put("name", merchant.name());
        view.put("wxappid", merchant.wxappid());
        view.put("walletUserId", merchant.walletUserId());
        if (withBalance) {
            view.put("balance", accounts.balance(merchant.walletUserId()));
        }
        return view;
    }

    Answer bindOpenid(Exchange exchange) {
        Requests.OpenidBinding request = Json.read(exchange.body(), Requests.OpenidBinding.class);
        if (request.openid() == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "openid is required");
        }
        int created = merchants.bind(exchange.pathParam("mchId"), Map.of(request.openid(), nonNull(request.userId())));
        return Answer.json(created == 1 ? 201 : 200, Map.of("openid", request.openid(), "userId", request.userId()));
    }

    Answer bindOpenids(Exchange exchange) {
        Requests.OpenidBindings request = Json.read(exchange.body(), Requests.OpenidBindings.class);
        if (request.bindings() == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "bindings are required");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (Requests.OpenidBinding binding : request.bindings()) {
            if (binding == null || binding.openid() == null) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "each binding needs an openid and a userId");
            }
            if (pairs.put(binding.openid(), nonNull(binding.userId())) != null) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "openid " + binding.openid() + " appears twice");
            }
        }
        int created = merchants.bind(exchange.pathParam("mchId"), pairs);
        return Answer.json(200, Map.of("bindings", pairs.size(), "created", created));
    }

    Answer createCampaign(Exchange exchange) {
        Requests.CreateCampaign request = Json.read(exchange.body(), Requests.CreateCampaign.class);
        if (request.budget() == null || request.amountMin() == null || request.amountMax() == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "budget, amountMin and amountMax are required");
        }
        CampaignService.Created created = campaigns.create(exchange.pathParam("mchId"), new CampaignService.Terms(
                request.campaignId(), request.name(), request.wishing(), request.budget(), request.amountMin(),
                request.amountMax(), request.winPermille() == null ? 1000 : request.winPermille(), instant("startsAt",
                        request.startsAt()), instant("endsAt", request.endsAt())));
        CampaignService.Status status = campaigns.status(exchange.pathParam("mchId"), created.campaign().campaignId());
        return Answer.json(created.isNew() ? 201 : 200, campaignView(status));
    }

    Answer campaign(Exchange exchange) {
        return Answer.json(200, campaignView(campaigns.status(exchange.pathParam("mchId"), exchange.pathParam("campaignId"))));
    }

    private static Map<String, Object> campaignView(CampaignService.Status status) {
        Campaign campaign = status.campaign();
        CampaignTotals totals = status.totals();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("mchId", campaign.mchId());
        view.put("campaignId", campaign.campaignId());
        view.put("name", campaign.name());
        view.put("wishing", campaign.wishing());
        view.put("budget", campaign.budget());
        view.put("amountMin", campaign.amountMin());
        view.put("amountMax", campaign.amountMax());
        view.put("winPermille", campaign.winPermille());
        view.put("startsAt", campaign.startsAt());
        view.put("endsAt", campaign.endsAt());
        view.put("state", status.state());
        view.put("reserved", campaign.reserved());
        view.put("remaining", campaign.remaining());
        view.put("wins", campaign.wins());
        view.put("paidWins", totals.paidWins());
        view.put("paidAmount", totals.paidAmount());
        view.put("pendingWins", totals.pendingWins());
        view.put("pendingAmount", totals.pendingAmount());
        return view;
    }

    Answer enter(Exchange exchange) {
        Requests.CampaignEntries request = Json.read(exchange.body(), Requests.CampaignEntries.class);
        List<CampaignService.Entry> entries = campaigns.enter(exchange.pathParam("mchId"),
                exchange.pathParam("campaignId"), request.openids());
        List<Map<String, Object>> results = entries.stream().map(entry -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("openid", entry.openid());
            result.put("result", entry.outcome().name());
            result.put("amount", entry.amount());
            return result;
        }).toList();
        return Answer.json(200, Map.of("entries", results));
    }

    Answer wins(Exchange exchange) {
        String mchId = exchange.pathParam("mchId");
        int limit = exchange.intQuery("limit", 100, 1000);
        List<CampaignWin> wins = campaigns.wins(mchId, exchange.pathParam("campaignId"),
                exchange.query("after").orElse(null), limit);
        List<Map<String, Object>> items = wins.stream().map(win -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("userId", win.userId());
            item.put("openid", campaigns.openidOf(mchId, win.userId()).orElse(null));
            item.put("amount", win.amount());
            item.put("state", win.state().name());
            item.put("packetId", win.packetId() == null ? null : win.packetId().toString());
            item.put("wonAt", win.createdAt());
            item.put("paidAt", win.paidAt());
            return item;
        }).toList();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("next", wins.size() == limit ? wins.get(wins.size() - 1).userId() : null);
        return Answer.json(200, page);
    }

    private static String nonNull(String userId) {
        if (userId == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "userId is required");
        }
        return userId;
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, field + " is required");
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, field + " must be an ISO-8601 UTC time like 2027-01-01T00:00:00Z");
        }
    }
}
