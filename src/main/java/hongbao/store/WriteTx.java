package hongbao.store;

import hongbao.store.directory.DirectoryTx;
import hongbao.store.merchants.CampaignTx;
import hongbao.store.merchants.MerchantTx;
import hongbao.store.packets.PacketTx;
import hongbao.store.payments.PaymentTx;
import hongbao.store.records.AnswerTx;

/**
 * What may be written inside one {@link Store#write} transaction: every aggregate's writes, so that one transaction can
 * span them. A part of the work that touches one aggregate takes that aggregate's port ({@link PacketTx}, ...).
 */
public interface WriteTx extends DirectoryTx, PacketTx, PaymentTx, MerchantTx, CampaignTx, AnswerTx {
}
