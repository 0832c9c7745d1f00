package hongbao.paysim;

import hongbao.wxpay.SignType;
import picocli.CommandLine;

/** Reads a sign type option in WeChat's spelling ({@code MD5}, {@code HMAC-SHA256}), as the provider's settings name it. */
public final class SignTypeConverter implements CommandLine.ITypeConverter<SignType> {
    @Override
    public SignType convert(String value) {
        try {
            return SignType.ofWireName(value);
        } catch (IllegalArgumentException unknown) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not MD5 or HMAC-SHA256");
        }
    }
}
