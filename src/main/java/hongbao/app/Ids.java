package hongbao.app;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import java.util.regex.Pattern;

/** The shape of user, group and reference ids (API.md: 1-64 chars of [A-Za-z0-9_.-]). */
public final class Ids {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private Ids() {
    }

    public static String requireId(String field, String value) {
        if (value == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, field + " is required");
        }
        if (!NAME.matcher(value).matches()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, field + " must be 1-64 characters of A-Z a-z 0-9 _ . -");
        }
        if (value.equals(".") || value.equals("..")) {
            // A path segment of its own that clients and proxies resolve away: /v1/admin/users/../deposits.
            throw new Rejection(ErrorCode.INVALID_REQUEST, field + " must not be . or ..");
        }
        return value;
    }

    public static String requireReference(String value) {
        if (value == null || !REFERENCE.matcher(value).matches()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "reference must be 1-64 characters of A-Z a-z 0-9 _ . : -");
        }
        return value;
    }

    public static String requireDisplayName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, field + " is required");
        }
        if (value.codePointCount(0, value.length()) > 64) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, field + " must be at most 64 characters");
        }
        return value;
    }
}
