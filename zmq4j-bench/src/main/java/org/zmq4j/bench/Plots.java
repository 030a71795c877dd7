package org.zmq4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hand-written SVG charts: throughput against message size (log-log line charts) and latency
 * percentiles (bars on a log scale). No plotting library: a few rectangles, lines and texts.
 */
final class Plots {
    static final Map<String, String> COLOURS = Map.of("zmq4j", "#1f77b4", "jeromq", "#ff7f0e", "libzmq", "#2ca02c", "raw", "#555555");

    private Plots() {
    }

    /** One line of a chart: an implementation's values at each x (NaN where missing). */
    record Series(String impl, double[] y) {
    }

    /**
     * Two log-log panels side by side (msg/s and MB/s against message size) for one transport.
     *
     * @param title  chart title
     * @param sizes  message sizes (x)
     * @param msgs   msg/s per implementation
     * @param note   a line under the title (e.g. repetitions, noise)
     * @return the SVG document
     */
    static String throughput(String title, int[] sizes, List<Series> msgs, String note) {
        List<Series> mbs = new ArrayList<>();
        for (Series s : msgs) {
            double[] y = new double[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                y[i] = s.y()[i] * sizes[i] / 1e6;
            }
            mbs.add(new Series(s.impl(), y));
        }
        StringBuilder svg = header(960, 420, title, note);
        linePanel(svg, 60, 70, 380, 270, sizes, msgs, "messages/s");
        linePanel(svg, 540, 70, 380, 270, sizes, mbs, "MB/s (10^6 bytes/s)");
        legend(svg, 60, 395, msgs.stream().map(Series::impl).toList());
        return svg.append("</svg>\n").toString();
    }

    private static void linePanel(StringBuilder svg, int x0, int y0, int w, int h, int[] sizes, List<Series> series, String yLabel) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Series s : series) {
            for (double v : s.y()) {
                if (v > 0 && !Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi == 0) {
            lo = 1;
            hi = 10;
        }
        double lyLo = Math.floor(Math.log10(lo));
        double lyHi = Math.ceil(Math.log10(hi));
        if (lyHi <= lyLo) {
            lyHi = lyLo + 1;
        }
        double lxLo = Math.log10(sizes[0]);
        double lxHi = Math.log10(sizes[sizes.length - 1]);
        if (lxHi <= lxLo) {
            lxHi = lxLo + 1;
        }
        frame(svg, x0, y0, w, h);
        for (double d = lyLo; d <= lyHi + 1e-9; d++) {
            double y = y0 + h - (d - lyLo) / (lyHi - lyLo) * h;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", x0, y, x0 + w, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>%n", x0 - 5, y + 4,
                    Compare.si(Math.pow(10, d))));
        }
        for (int size : sizes) {
            double x = x0 + (Math.log10(size) - lxLo) / (lxHi - lxLo) * w;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", x, y0, x, y0 + h));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>%n", x, y0 + h + 15,
                    esc(Compare.sizeLabel(size))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">message size</text>%n", x0 + w / 2,
                y0 + h + 32));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">%s</text>%n", x0, y0 - 8, esc(yLabel)));
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            String colour = COLOURS.getOrDefault(s.impl(), "#000");
            for (int i = 0; i < sizes.length; i++) {
                double v = s.y()[i];
                if (!(v > 0)) {
                    continue;
                }
                double x = x0 + (Math.log10(sizes[i]) - lxLo) / (lxHi - lxLo) * w;
                double y = y0 + h - (Math.log10(v) - lyLo) / (lyHi - lyLo) * h;
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s %s: %s</title></circle>%n",
                        x, y, colour, Report.name(s.impl()), esc(Compare.sizeLabel(sizes[i])), Compare.si(v)));
            }
            if (path.length() > 0) {
                svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", path, colour,
                        s.impl().equals("raw") ? " stroke-dasharray=\"5,4\"" : ""));
            }
        }
    }

    /** Bars of one implementation in one group: p50, p99, p99.9 of the round trip (µs). */
    record Bars(String impl, double p50, double p99, double p999) {
    }

    /**
     * Latency percentiles: one panel per entry of {@code panels} (e.g. unpinned, pinned), groups
     * of bars per transport, one bar per implementation showing p50 (solid), p99 and p99.9 (paler).
     */
    static String latency(String title, String note, List<String> panelTitles, List<List<String>> groupNames, List<List<List<Bars>>> panels) {
        int pw = 420;
        StringBuilder svg = header(60 + panels.size() * (pw + 60), 440, title, note);
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (List<List<Bars>> p : panels) {
            for (List<Bars> g : p) {
                for (Bars b : g) {
                    for (double v : new double[] {b.p50(), b.p99(), b.p999()}) {
                        if (v > 0) {
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                        }
                    }
                }
            }
        }
        if (hi == 0) {
            lo = 1;
            hi = 10;
        }
        double lyLo = Math.floor(Math.log10(lo));
        double lyHi = Math.ceil(Math.log10(hi));
        if (lyHi <= lyLo) {
            lyHi = lyLo + 1;
        }
        List<String> impls = new ArrayList<>();
        for (int p = 0; p < panels.size(); p++) {
            int x0 = 70 + p * (pw + 60);
            int y0 = 80;
            int h = 270;
            frame(svg, x0, y0, pw, h);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">%s</text>%n", x0, y0 - 8,
                    esc(panelTitles.get(p))));
            for (double d = lyLo; d <= lyHi + 1e-9; d++) {
                double y = y0 + h - (d - lyLo) / (lyHi - lyLo) * h;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", x0, y, x0 + pw, y));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s µs</text>%n", x0 - 5, y + 4,
                        Compare.si(Math.pow(10, d))));
            }
            List<List<Bars>> groups = panels.get(p);
            int gw = pw / Math.max(1, groups.size());
            for (int g = 0; g < groups.size(); g++) {
                List<Bars> bars = groups.get(g);
                int gx = x0 + g * gw;
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%s</text>%n", gx + gw / 2,
                        y0 + h + 16, esc(groupNames.get(p).get(g))));
                int n = Math.max(1, bars.size());
                double bw = (gw - 20.0) / n;
                for (int i = 0; i < bars.size(); i++) {
                    Bars b = bars.get(i);
                    if (!impls.contains(b.impl())) {
                        impls.add(b.impl());
                    }
                    double bx = gx + 10 + i * bw;
                    String colour = COLOURS.getOrDefault(b.impl(), "#000");
                    double[] vals = {b.p999(), b.p99(), b.p50()};
                    double[] opacity = {0.25, 0.5, 1.0};
                    String[] names = {"p99.9", "p99", "p50"};
                    for (int k = 0; k < 3; k++) {
                        if (!(vals[k] > 0)) {
                            continue;
                        }
                        double top = y0 + h - (Math.log10(vals[k]) - lyLo) / (lyHi - lyLo) * h;
                        svg.append(String.format(Locale.ROOT,
                                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\">"
                                        + "<title>%s %s %s: %s µs</title></rect>%n",
                                bx + 1, top, bw - 2, y0 + h - top, colour, opacity[k], Report.name(b.impl()), esc(groupNames.get(p).get(g)), names[k],
                                Compare.fmt(vals[k])));
                    }
                }
            }
        }
        legend(svg, 70, 400, impls);
        svg.append("<text x=\"70\" y=\"428\" font-size=\"11\" fill=\"#444\">Bars: round-trip p50 (solid), p99 (paler), p99.9 (palest), log scale."
                + " One-way latency is half the round trip.</text>\n");
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder header(int w, int h, String title, String note) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n", w, h, w, h));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
        svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"26\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", esc(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"46\" font-size=\"11\" fill=\"#444\">%s</text>%n", esc(note)));
        return svg;
    }

    private static void frame(StringBuilder svg, int x0, int y0, int w, int h) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", x0, y0, w, h));
    }

    private static void legend(StringBuilder svg, int x, int y, List<String> impls) {
        int cx = x;
        for (String impl : impls) {
            String colour = COLOURS.getOrDefault(impl, "#000");
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"%s\"/>%n", cx, y - 9, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n", cx + 18, y, esc(Report.name(impl))));
            cx += 30 + Report.name(impl).length() * 8;
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
