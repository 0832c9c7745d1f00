package hongbao.events;

import hongbao.store.events.Event;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

/** An event as the API, the stream and webhooks show it: id, type, time, packet id and the type's own data. */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    public static String render(Event event) {
        ObjectNode json = MAPPER.createObjectNode()
                .put("id", event.id())
                .put("type", event.type().wireName())
                .put("at", event.at().toString())
                .put("packetId", event.packetId() == null ? null : Long.toString(event.packetId()));
        json.putRawValue("data", new RawValue(event.dataJson()));
        return json.toString();
    }

    /** For a JSON body that holds rendered events: Jackson writes it as it is. */
    public static RawValue raw(Event event) {
        return new RawValue(render(event));
    }
}
