package hongbao.store.events;

/**
 * Fields separated by spaces, one event a line: strings escape {@code %}, space, line ends and {@code ~} as
 * {@code %xx}, and {@code ~} alone is null. Ids are plain (names of letters, digits and {@code _.-}), so their escaping
 * only scans them.
 */
public final class PackedText {
    private static final char NULL = '~';

    private PackedText() {
    }

    /** Builds lines into one text. */
    public static final class Writer {
        private final StringBuilder text;
        private boolean lineStarted;

        public Writer(StringBuilder text) {
            this.text = text;
        }

        /** Ends the current line; the next field starts a new one. */
        public void endLine() {
            text.append('\n');
            lineStarted = false;
        }

        public Writer string(String value) {
            separate();
            if (value == null) {
                text.append(NULL);
                return this;
            }
            if (plain(value)) {
                text.append(value);
                return this;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (escaped(c)) {
                    text.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                } else {
                    text.append(c);
                }
            }
            return this;
        }

        public Writer number(long value) {
            separate();
            text.append(value);
            return this;
        }

        private static boolean plain(String value) {
            for (int i = 0; i < value.length(); i++) {
                if (escaped(value.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean escaped(char c) {
            return c == '%' || c == ' ' || c == '\n' || c == '\r' || c == NULL;
        }

        private void separate() {
            if (lineStarted) {
                text.append(' ');
            }
            lineStarted = true;
        }
    }

    /** Reads one line's fields in the order they were written. */
    public static final class Reader {
        private final String line;
        private int at;

        public Reader(String line) {
            this.line = line;
        }

        public String string() {
            String field = next();
            if (field.length() == 1 && field.charAt(0) == NULL) {
                return null;
            }
            if (field.indexOf('%') < 0) {
                return field;
            }
            StringBuilder plain = new StringBuilder(field.length());
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == '%') {
                    plain.append((char) Integer.parseInt(field, i + 1, i + 3, 16));
                    i += 2;
                } else {
                    plain.append(c);
                }
            }
            return plain.toString();
        }

        public long number() {
            return Long.parseLong(next());
        }

        public int integer() {
            return Math.toIntExact(number());
        }

        private String next() {
            if (at > line.length()) {
                throw new IllegalArgumentException("a packed line ended early: " + line);
            }
            int end = line.indexOf(' ', at);
            if (end < 0) {
                end = line.length();
            }
            String field = line.substring(at, end);
            at = end + 1;
            return field;
        }
    }
}
