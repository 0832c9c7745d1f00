package hongbao.store.merchants;

/** A campaign's wins by state: how many, and how much money, are paid (packet sent) and still pending. */
public record CampaignTotals(int paidWins, long paidAmount, int pendingWins, long pendingAmount) {
}
