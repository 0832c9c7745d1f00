package hongbao.bench;

import hongbao.http.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints the table and writes the JSON and the SVG chart drawn from it. */
final class Report {
    private Report() {
    }

    static void print(List<Summary> summaries, PrintStream out) {
        for (Summary s : summaries) {
            out.printf("%n%s: %,d packets, %,d shares, %,d opens, %,d concurrent clients%n", s.scenario(), s.packets(),
                    s.shares(), s.opens(), s.concurrency());
            out.printf("| %-16s | %12s | %9s | %9s | %9s | %8s | %8s | %-10s |%n", "design", "opens/s (med)", "p50 us",
                    "p99 us", "p999 us", "failed", "retries", "audit");
            out.println("|------------------|---------------|-----------|-----------|-----------|----------|----------|------------|");
            for (Summary.DesignFigures f : s.designs()) {
                out.printf("| %-16s | %,13.0f | %,9d | %,9d | %,9d | %,8d | %,8d | %-10s |%n", f.design(),
                        f.opensPerSecondMedian(), f.p50Micros(), f.p99Micros(), f.p999Micros(), f.failed(), f.retries(),
                        f.balanced() ? "balanced" : "UNBALANCED");
            }
            s.ratios().forEach((name, ratio) -> out.printf("  %s = %.2f%n", name, ratio));
        }
    }

    static void writeJson(List<Summary> summaries, Path file) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " "
                        + System.getProperty("os.version")));
        document.put("scenarios", summaries);
        Files.writeString(file, Json.write(document), StandardCharsets.UTF_8);
    }

    /** Two panels per scenario: median opens/s by design (log scale) and p50/p99 latency by design (log scale). */
    static void writeSvg(List<Summary> summaries, Path file) throws IOException {
        int panelWidth = 440;
        int panelHeight = 260;
        int width = panelWidth * 2 + 40;
        int height = (panelHeight + 60) * summaries.size() + 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        int y = 20;
        for (Summary s : summaries) {
            List<Summary.DesignFigures> designs = s.designs();
            svg.append(bars(20, y, panelWidth, panelHeight, s.scenario() + ": opens/s (median, log scale)", designs,
                    List.of(new Series("opens/s", "#c0392b", f -> f.opensPerSecondMedian()))));
            svg.append(bars(40 + panelWidth, y, panelWidth, panelHeight, s.scenario() + ": latency of an acknowledged open, us (log)",
                    designs, List.of(new Series("p50", "#2980b9", f -> (double) f.p50Micros()),
                            new Series("p99", "#8e44ad", f -> (double) f.p99Micros()))));
            y += panelHeight + 60;
        }
        svg.append("</svg>\n");
        Files.writeString(file, svg.toString(), StandardCharsets.UTF_8);
    }

    private record Series(String label, String color, java.util.function.ToDoubleFunction<Summary.DesignFigures> value) {
    }

    private static String bars(int x, int y, int w, int h, String title, List<Summary.DesignFigures> designs, List<Series> series) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x, y + 12, title));
        int top = y + 24;
        int bottom = y + h;
        double max = designs.stream().flatMapToDouble(d -> series.stream().mapToDouble(s -> s.value().applyAsDouble(d)))
                .max().orElse(1);
        double logMax = Math.log10(Math.max(10, max)) + 0.2;
        int slot = w / Math.max(1, designs.size());
        int barWidth = Math.max(8, (slot - 20) / series.size());
        out.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", x, bottom, x + w, bottom));
        for (int i = 0; i < designs.size(); i++) {
            Summary.DesignFigures d = designs.get(i);
            int slotX = x + i * slot + 10;
            for (int k = 0; k < series.size(); k++) {
                double v = series.get(k).value().applyAsDouble(d);
                double fraction = v <= 1 ? 0 : Math.log10(v) / logMax;
                int barHeight = (int) Math.round(fraction * (bottom - top - 14));
                int bx = slotX + k * barWidth;
                out.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", bx,
                        bottom - barHeight, barWidth - 2, barHeight, series.get(k).color()));
                out.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>%n", bx, bottom - barHeight - 3,
                        compact(v)));
            }
            out.append(String.format("<text x=\"%d\" y=\"%d\">%s</text>%n", slotX, bottom + 14, d.design()));
        }
        for (int k = 0; k < series.size() && series.size() > 1; k++) {
            out.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    x + w - 90 + k * 45, y + 2, series.get(k).color(), x + w - 77 + k * 45, y + 11, series.get(k).label()));
        }
        return out.toString();
    }

    private static String compact(double v) {
        if (v >= 1_000_000) {
            return String.format("%.1fM", v / 1_000_000);
        }
        if (v >= 10_000) {
            return String.format("%.0fk", v / 1_000);
        }
        return String.format("%.0f", v);
    }
}
