package hongbao.logging;

/**
 * What a value goes through before it reaches a log line: the one place that keeps client-supplied text (a
 * notification's out_trade_no, a path, a header, an exception's message) from forging or flooding log lines. Used by
 * the text format's message and exception converters ({@link NeutralisedMessageConverter},
 * {@link NeutralisedThrowableConverter}) and by the JSON format's {@link CappedJsonValues}.
 */
public final class LogValues {
    /** A value given to a log line (an argument of its message): out_trade_no is 32 characters, a path a few dozen. */
    public static final int VALUE_MAX_CHARS = 256;
    /** A whole message, or an exception's message. */
    public static final int MESSAGE_MAX_CHARS = 2_000;

    private LogValues() {
    }

    /**
     * The text with every character that could end a line or rewrite what a terminal shows written as an escape
     * ({@code \n}, {@code \r}, {@code \t}, else {@code \u2028} style): C0 and C1 controls, DEL, the Unicode line and
     * paragraph separators, and the bidirectional overrides and isolates. Cut to {@code maxChars}, saying how much was
     * cut; the escapes count towards it.
     */
    public static String neutralised(String text, int maxChars) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 16);
        int index = 0;
        for (; index < text.length() && out.length() < maxChars; index++) {
            char c = text.charAt(index);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isNeutralised(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (index < text.length()) {
            out.append("…(").append(text.length() - index).append(" more chars)");
        }
        return out.toString();
    }

    private static boolean isNeutralised(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0, DEL, C1 (0x85 is NEL, a line break to some readers)
                || c == '\u2028' || c == '\u2029' // line and paragraph separators
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069'); // bidi overrides, isolates
    }
}
