package hongbao.domain;

/** The seed's pay_status values, kept as they are on the wire. */
public enum PayStatus {
    UNPAID(0),
    SERVER_CONFIRMED(1),
    CLIENT_CONFIRMED(2);

    private final int code;

    PayStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static PayStatus ofCode(int code) {
        for (PayStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown pay status " + code);
    }
}
