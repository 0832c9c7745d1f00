import hongbao.app.Directory;
import hongbao.store.StoreSets;
import hongbao.store.Stores;
import java.util.Random;

/**
 * Membership checks against a SET filled by fill-directory.sql, in process, through whichever Directory the classpath
 * holds: 2000 random groups checked once (cold: a query each with the caching directory), then 4 million checks of
 * those groups three times over (warm). With the service built (mvn -o -q package -DskipTests):
 *
 *   java -cp "target/classes:target/lib/*" deploy/scale/MembershipProbe.java postgresql://postgres@127.0.0.1:5432/hongbao_scale
 */
public class MembershipProbe {
    public static void main(String[] args) throws Exception {
        try (StoreSets sets = Stores.openSets(args[0], java.nio.file.Files.createTempDirectory("probe"), 64, 31)) {
            Directory directory = new Directory(sets);
            Random random = new Random(1);
            int cold = 2000;
            String[] groups = new String[cold];
            String[] members = new String[cold];
            for (int i = 0; i < cold; i++) {
                int g = 1 + random.nextInt(1_000_000);
                groups[i] = "g" + g;
                members[i] = "u" + ((g - 1) * 10 + 1 + random.nextInt(10));
            }
            long hits = 0;
            long started = System.nanoTime();
            for (int i = 0; i < cold; i++) {
                hits += directory.isMember(groups[i], members[i]) ? 1 : 0;
            }
            long coldNanos = System.nanoTime() - started;
            for (int round = 0; round < 3; round++) {
                started = System.nanoTime();
                long checks = 0;
                for (int rep = 0; rep < 2000; rep++) {
                    for (int i = 0; i < cold; i++) {
                        hits += directory.isMember(groups[i], members[(i + rep) % cold]) ? 1 : 0;
                        checks++;
                    }
                }
                long warmNanos = System.nanoTime() - started;
                System.out.printf("warm: %d checks, %.0f ns each%n", checks, (double) warmNanos / checks);
            }
            System.out.printf("cold: %d groups, %.2f ms each (a query), all members: %s%n", cold, coldNanos / 1e6 / cold, hits > 0);
        }
    }
}
