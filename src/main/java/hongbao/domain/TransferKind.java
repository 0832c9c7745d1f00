package hongbao.domain;

public enum TransferKind {
    DEPOSIT,
    SEND,
    CLAIM,
    REFUND
}
