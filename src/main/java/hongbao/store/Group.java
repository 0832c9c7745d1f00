package hongbao.store;

import java.util.List;

public record Group(String groupId, String name, List<String> members) {
}
