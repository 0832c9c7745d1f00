package hongbao.store.events;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A flat JSON object written straight into text: an event's data is written once per event on the derivation's hot
 * path, where building a Jackson tree and serialising it cost about as much as inserting the row. Jackson still
 * escapes the strings.
 */
final class JsonText {
    private final StringBuilder text = new StringBuilder(160).append('{');

    JsonText put(String name, String value) {
        if (value == null) {
            name(name).append("null");
            return this;
        }
        name(name).append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, text);
        text.append('"');
        return this;
    }

    /** Leaves the member out when the value is null. */
    JsonText putIfPresent(String name, String value) {
        return value == null ? this : put(name, value);
    }

    JsonText put(String name, long value) {
        name(name).append(value);
        return this;
    }

    JsonText put(String name, boolean value) {
        name(name).append(value);
        return this;
    }

    /** A nested object, given as this class's own finished text. */
    JsonText putObject(String name, JsonText object) {
        name(name).append(object.toString());
        return this;
    }

    private StringBuilder name(String name) {
        if (text.length() > 1) {
            text.append(',');
        }
        return text.append('"').append(name).append("\":");
    }

    @Override
    public String toString() {
        return text + "}";
    }
}
