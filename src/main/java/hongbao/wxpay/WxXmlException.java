package hongbao.wxpay;

/** Thrown for a body that is not a flat WeChat XML document. The message is safe to show to the caller. */
public final class WxXmlException extends Exception {
    private static final long serialVersionUID = 1L;

    public WxXmlException(String message) {
        super(message);
    }

    public WxXmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
