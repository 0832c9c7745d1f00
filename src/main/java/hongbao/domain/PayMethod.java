package hongbao.domain;

public enum PayMethod {
    BALANCE,
    THIRD_PARTY
}
