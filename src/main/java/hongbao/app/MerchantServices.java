package hongbao.app;

/** The merchant API's services, handed to the HTTP edge together. */
public record MerchantServices(MerchantDirectory directory, MerchantAccounts accounts, RedpackService redpacks,
        CampaignService campaigns) {
}
