package hongbao.domain;

public enum TransferKind {
    DEPOSIT,
    SEND,
    PAYMENT,
    CLAIM,
    REFUND,
    WITHDRAWAL
}
