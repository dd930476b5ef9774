package io.emkit.cli.plot;

import de.erichseifert.vectorgraphics2d.intermediate.CommandSequence;
import de.erichseifert.vectorgraphics2d.intermediate.MutableCommandSequence;
import de.erichseifert.vectorgraphics2d.intermediate.commands.Command;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawStringCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.FillShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.RotateCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetClipCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetFontCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetTransformCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.TransformCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.TranslateCommand;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Makes a figure's SVG small and its words searchable. XChart draws every word as the outline of its glyphs
 * and every line as separate segments, each under its own transform and clip; this rewrites the drawing
 * commands before they become SVG: outlines that are exactly one of the charts' words (titles, axis titles,
 * series names and tick labels, which it records while the charts paint) become {@code <text>}, runs of
 * joined segments become one path, transforms are applied to the shapes, and clips (a chart stays inside its
 * own bounds) are left out.
 */
final class SvgText {
    /** How far apart two coordinates may be and still be the same point, in pixels. */
    private static final double SAME = 1e-3;

    /** The horizontal axes' number pattern: whole numbers bare, fractions with a leading zero. */
    static final String X_PATTERN = "0.######";

    private final List<Chart<?, ?>> charts;
    private final Set<String> words = new LinkedHashSet<>();

    private SvgText(List<Chart<?, ?>> charts) {
        this.charts = charts;
    }

    /**
     * Starts recording the tick labels of the charts' vertical axes as they paint (the labels look as
     * {@link #tickLabel} writes them), and lists those their horizontal axes may have.
     *
     * @param charts the figure's panels ({@code null} entries allowed)
     * @return the recorder
     */
    static SvgText recording(List<Chart<?, ?>> charts) {
        SvgText t = new SvgText(charts);
        for (Chart<?, ?> c : charts) {
            if (c instanceof XYChart xy) {
                xy.setCustomYAxisTickLabelsFormatter(v -> t.record(tickLabel(v)));
                if (X_PATTERN.equals(xy.getStyler().getXAxisDecimalPattern())) {
                    t.xTicks(xy);
                }
            }
        }
        return t;
    }

    /**
     * The labels the horizontal axis may have: XChart's ticks are multiples of 1, 2, 2.5 or 5 times a power of ten
     * over the data's range, written with {@link #X_PATTERN}.
     */
    private void xTicks(XYChart chart) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (org.knowm.xchart.XYSeries s : chart.getSeriesMap().values()) {
            for (double v : s.getXData()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi >= lo)) {
            return;
        }
        double span = hi > lo ? hi - lo : Math.abs(hi) + 1;
        java.text.DecimalFormat format = new java.text.DecimalFormat(X_PATTERN);
        int top = (int) Math.floor(Math.log10(span));
        for (int k = top - 2; k <= top; k++) {
            for (double m : new double[] {1, 2, 2.5, 5}) {
                double step = m * Math.pow(10, k);
                if (span / step > 40 || span / step < 1) {
                    continue;
                }
                for (long i = (long) Math.floor(lo / step) - 1; i <= (long) Math.ceil(hi / step) + 1; i++) {
                    words.add(format.format(new BigDecimal(i).multiply(BigDecimal.valueOf(step)).doubleValue()));
                }
            }
        }
    }

    private synchronized String record(String word) {
        words.add(word);
        return word;
    }

    /**
     * A tick's label: the value to 7 significant digits, without trailing zeros or an exponent ("250", "0.25",
     * "-1200"); "0" for a value that is zero but for rounding.
     *
     * @param v the tick's value
     * @return its label
     */
    static String tickLabel(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (Math.abs(v) < 1e-12) {
            return "0";
        }
        if (Math.abs(v) >= 1e9 || Math.abs(v) < 1e-5) {
            return String.format(java.util.Locale.ROOT, "%.3g", v);
        }
        return new BigDecimal(v).round(new MathContext(7)).stripTrailingZeros().toPlainString();
    }

    /** One word's outline at the origin, in one font, as a path's segment types and coordinates. */
    private record Outline(String word, Font font, int[] types, double[] coords) {
    }

    /**
     * The commands rewritten (see the class comment); the commands as they were when something in them is not
     * understood (an image, a scale or shear).
     *
     * @param in  what the figure painted
     * @param frc the font render context the charts measured text with
     * @return the commands to write
     */
    CommandSequence compact(CommandSequence in, FontRenderContext frc) {
        Map<String, List<Outline>> outlines = outlines(frc);
        MutableCommandSequence out = new MutableCommandSequence();
        AffineTransform t = new AffineTransform();
        Run run = null;
        // Colours, strokes and fonts take effect when something is drawn: only changes are written, then.
        Map<Class<?>, Command<?>> wanted = new HashMap<>();
        Map<Class<?>, Object> emitted = new HashMap<>();
        for (Command<?> c : in) {
            if (isStyle(c)) {
                wanted.put(c.getClass(), c);
                continue;
            }
            if (c instanceof DrawShapeCommand d && d.getValue() instanceof Line2D l) {
                double[] p = {l.getX1(), l.getY1(), l.getX2(), l.getY2()};
                t.transform(p, 0, p, 0, 2);
                if (run != null && !changes(wanted, emitted)) {
                    // The same style: one path, a new piece where this segment does not start at the last's end.
                    if (!run.continues(p[0], p[1])) {
                        run.jump(p[0], p[1]);
                    }
                    run.to(p[2], p[3]);
                } else {
                    flush(out, run);
                    style(out, wanted, emitted);
                    run = new Run(p[0], p[1]);
                    run.to(p[2], p[3]);
                }
                continue;
            }
            if (c instanceof SetClipCommand
                    || c instanceof de.erichseifert.vectorgraphics2d.intermediate.commands.CreateCommand
                    || c instanceof de.erichseifert.vectorgraphics2d.intermediate.commands.DisposeCommand) {
                // XChart copies its graphics without disposing of them and restores transforms absolutely: the
                // commands read as one stream of state.
                continue;
            }
            if (c instanceof TranslateCommand tr) {
                t.translate(tr.getDeltaX(), tr.getDeltaY());
                continue;
            }
            if (c instanceof RotateCommand r) {
                t.rotate(r.getTheta(), r.getCenterX(), r.getCenterY());
                continue;
            }
            if (c instanceof TransformCommand tc) {
                t.concatenate(tc.getTransform());
                continue;
            }
            if (c instanceof SetTransformCommand st) {
                t = new AffineTransform(st.getValue());
                continue;
            }
            if (c instanceof de.erichseifert.vectorgraphics2d.intermediate.commands.AffineTransformCommand
                    || c instanceof de.erichseifert.vectorgraphics2d.intermediate.commands.DrawImageCommand) {
                return in;
            }
            flush(out, run);
            run = null;
            style(out, wanted, emitted);
            if (c instanceof DrawStringCommand s) {
                if (!t.isIdentity()) {
                    out.add(new SetTransformCommand(new AffineTransform(t)));
                    out.add(s);
                    out.add(new SetTransformCommand(new AffineTransform()));
                } else {
                    out.add(s);
                }
                continue;
            }
            if (c instanceof FillShapeCommand f) {
                if (f.getValue() instanceof Path2D
                        && text(out, t.createTransformedShape(f.getValue()), outlines, wanted.get(SetFontCommand.class), emitted)) {
                    continue;
                }
                out.add(new FillShapeCommand(moved(t, f.getValue())));
                continue;
            }
            if (c instanceof DrawShapeCommand d) {
                out.add(new DrawShapeCommand(moved(t, d.getValue())));
                continue;
            }
            out.add(c);
        }
        flush(out, run);
        return inWritersFamily(out);
    }

    /**
     * The commands with each font in the SVG writer's own default family (its size and style kept), which the
     * writer leaves unnamed; the figure names sans-serif once, for all its text. For any other family the writer
     * looks up the physical font behind it by laying a test text out in every font installed, again for every
     * word it writes: with a few hundred fonts installed that was most of the time an SVG took (a second for a
     * matrix of pairs), to name a family that means nothing to a browser without it.
     */
    private static CommandSequence inWritersFamily(MutableCommandSequence in) {
        MutableCommandSequence out = new MutableCommandSequence();
        for (Command<?> c : in) {
            if (c instanceof SetFontCommand f && f.getValue() != null) {
                Font font = f.getValue();
                out.add(new SetFontCommand(new Font(WRITERS_FAMILY, font.getStyle(), font.getSize())
                        .deriveFont(font.getSize2D())));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** The family of the SVG writer's default font, which it writes no family for. */
    private static final String WRITERS_FAMILY = de.erichseifert.vectorgraphics2d.GraphicsState.DEFAULT_FONT.getFamily();

    /** Whether a wanted colour, stroke or font differs from the one last written. */
    private static boolean changes(Map<Class<?>, Command<?>> wanted, Map<Class<?>, Object> emitted) {
        for (Map.Entry<Class<?>, Command<?>> w : wanted.entrySet()) {
            if (!sameStyle(emitted.get(w.getKey()), w.getValue().getValue())) {
                return true;
            }
        }
        return false;
    }

    /** Writes the wanted colours, strokes and fonts that differ from those last written. */
    private static void style(MutableCommandSequence out, Map<Class<?>, Command<?>> wanted, Map<Class<?>, Object> emitted) {
        for (Map.Entry<Class<?>, Command<?>> w : wanted.entrySet()) {
            if (!sameStyle(emitted.get(w.getKey()), w.getValue().getValue())) {
                out.add(w.getValue());
                emitted.put(w.getKey(), w.getValue().getValue());
            }
        }
    }

    /** Equal values; strokes that differ only in where their dash pattern starts count as the same. */
    private static boolean sameStyle(Object a, Object b) {
        if (a instanceof java.awt.BasicStroke x && b instanceof java.awt.BasicStroke y) {
            return x.getLineWidth() == y.getLineWidth() && x.getEndCap() == y.getEndCap()
                    && x.getLineJoin() == y.getLineJoin() && x.getMiterLimit() == y.getMiterLimit()
                    && Arrays.equals(x.getDashArray(), y.getDashArray());
        }
        return Objects.equals(a, b);
    }

    private static boolean isStyle(Command<?> c) {
        return c instanceof de.erichseifert.vectorgraphics2d.intermediate.commands.SetColorCommand
                || c instanceof de.erichseifert.vectorgraphics2d.intermediate.commands.SetPaintCommand
                || c instanceof de.erichseifert.vectorgraphics2d.intermediate.commands.SetStrokeCommand
                || c instanceof de.erichseifert.vectorgraphics2d.intermediate.commands.SetCompositeCommand
                || c instanceof SetFontCommand;
    }

    /**
     * The shape under a transform, its coordinates to a hundredth of a pixel; a circle, ellipse or rectangle
     * moved stays one (a short SVG element).
     */
    private static Shape moved(AffineTransform t, Shape s) {
        if (t.getType() == AffineTransform.TYPE_TRANSLATION || t.isIdentity()) {
            double x = t.getTranslateX();
            double y = t.getTranslateY();
            if (s instanceof java.awt.geom.Ellipse2D e) {
                return new java.awt.geom.Ellipse2D.Double(r2(e.getX() + x), r2(e.getY() + y), r2(e.getWidth()), r2(e.getHeight()));
            }
            if (s instanceof java.awt.geom.Rectangle2D r) {
                return new java.awt.geom.Rectangle2D.Double(r2(r.getX() + x), r2(r.getY() + y), r2(r.getWidth()), r2(r.getHeight()));
            }
        }
        Path2D.Double p = new Path2D.Double();
        double[] c = new double[6];
        for (PathIterator it = s.getPathIterator(t); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            for (int i = 0; i < 6; i++) {
                c[i] = r2(c[i]);
            }
            switch (type) {
                case PathIterator.SEG_MOVETO -> p.moveTo(c[0], c[1]);
                case PathIterator.SEG_LINETO -> p.lineTo(c[0], c[1]);
                case PathIterator.SEG_QUADTO -> p.quadTo(c[0], c[1], c[2], c[3]);
                case PathIterator.SEG_CUBICTO -> p.curveTo(c[0], c[1], c[2], c[3], c[4], c[5]);
                default -> p.closePath();
            }
        }
        return p;
    }

    /** To a hundredth of a pixel. */
    private static double r2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void flush(MutableCommandSequence out, Run run) {
        if (run != null) {
            out.add(new DrawShapeCommand(run.path()));
        }
    }

    /**
     * Segments of one style as one path, joined ones as one polyline; a point that lies within a quarter pixel of the line from the point before
     * it to the next is left out (a trace of many iterations draws many such).
     */
    private static final class Run {
        private final Path2D.Double done = new Path2D.Double();
        private double[] xy = new double[64];
        private int n;
        private double endX;
        private double endY;

        Run(double x, double y) {
            add(x, y);
        }

        /** Ends the current piece and starts another at (x, y). */
        void jump(double x, double y) {
            piece();
            n = 0;
            add(x, y);
        }

        private void piece() {
            done.moveTo(r2(xy[0]), r2(xy[1]));
            for (int i = 2; i < n; i += 2) {
                done.lineTo(r2(xy[i]), r2(xy[i + 1]));
            }
        }

        boolean continues(double x, double y) {
            return Math.abs(x - endX) < SAME && Math.abs(y - endY) < SAME;
        }

        void to(double x, double y) {
            if (n >= 4 && within(xy[n - 4], xy[n - 3], x, y, xy[n - 2], xy[n - 1])) {
                n -= 2;
            }
            add(x, y);
        }

        private void add(double x, double y) {
            if (n + 2 > xy.length) {
                xy = Arrays.copyOf(xy, 2 * xy.length);
            }
            xy[n++] = x;
            xy[n++] = y;
            endX = x;
            endY = y;
        }

        /** Whether (px, py) is within a quarter pixel of the segment from (ax, ay) to (bx, by), between its ends. */
        private static boolean within(double ax, double ay, double bx, double by, double px, double py) {
            double dx = bx - ax;
            double dy = by - ay;
            double len2 = dx * dx + dy * dy;
            if (len2 == 0) {
                return Math.hypot(px - ax, py - ay) < 0.25;
            }
            double u = ((px - ax) * dx + (py - ay) * dy) / len2;
            if (u < 0 || u > 1) {
                return false;
            }
            return Math.abs((px - ax) * dy - (py - ay) * dx) / Math.sqrt(len2) < 0.25;
        }

        Path2D path() {
            piece();
            n = 0;
            return done;
        }
    }

    /** Writes the shape as a word when it is one's outline, upright or turned a quarter left; whether it was. */
    private boolean text(MutableCommandSequence out, Shape shape, Map<String, List<Outline>> outlines,
                         Command<?> wantedFont, Map<Class<?>, Object> emitted) {
        int[] types = types(shape);
        double[] coords = coords(shape);
        List<Outline> found = outlines.get(key(types));
        if (found == null || coords.length < 2) {
            return false;
        }
        // Two fonts may draw a word alike (a bold face the system lacks): the one the chart asked for first.
        List<Outline> candidates = new ArrayList<>(found);
        Object asked = wantedFont == null ? null : wantedFont.getValue();
        candidates.sort(java.util.Comparator.comparing(o -> o.font().equals(asked) ? 0 : 1));
        for (Outline o : candidates) {
            if (!Arrays.equals(o.types(), types)) {
                continue;
            }
            for (int turn = 0; turn < 2; turn++) {
                // Turned a quarter left (a vertical axis title): (x, y) becomes (y, −x).
                double dx = coords[0] - (turn == 0 ? o.coords()[0] : o.coords()[1]);
                double dy = coords[1] - (turn == 0 ? o.coords()[1] : -o.coords()[0]);
                boolean same = true;
                for (int i = 0; i < coords.length && same; i += 2) {
                    double x = turn == 0 ? o.coords()[i] : o.coords()[i + 1];
                    double y = turn == 0 ? o.coords()[i + 1] : -o.coords()[i];
                    same = Math.abs(coords[i] - x - dx) < SAME && Math.abs(coords[i + 1] - y - dy) < SAME;
                }
                if (!same) {
                    continue;
                }
                if (!Objects.equals(emitted.get(SetFontCommand.class), o.font())) {
                    out.add(new SetFontCommand(o.font()));
                    emitted.put(SetFontCommand.class, o.font());
                }
                if (turn == 0) {
                    out.add(new DrawStringCommand(o.word(), r2(dx), r2(dy)));
                } else {
                    AffineTransform at = AffineTransform.getTranslateInstance(dx, dy);
                    at.rotate(-Math.PI / 2);
                    out.add(new SetTransformCommand(at));
                    out.add(new DrawStringCommand(o.word(), 0, 0));
                    out.add(new SetTransformCommand(new AffineTransform()));
                }
                return true;
            }
        }
        return false;
    }

    /** Outlines already made, by font and word: the same ticks and names recur in every panel and picture. */
    private static final Map<List<Object>, Map<String, Outline>> MADE = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Every word the charts may have drawn, each in the font the chart draws that kind of word in (titles,
     * axis titles, legend entries, tick labels), by {@link #key}.
     */
    private Map<String, List<Outline>> outlines(FontRenderContext frc) {
        Map<String, List<Outline>> out = new HashMap<>();
        Set<String> ticks;
        synchronized (this) {
            ticks = new LinkedHashSet<>(words);
        }
        for (Chart<?, ?> c : charts) {
            if (c == null) {
                continue;
            }
            Styler s = c.getStyler();
            add(out, s.getChartTitleFont(), List.of(String.valueOf(c.getTitle())), frc);
            add(out, s.getLegendFont(), c.getSeriesMap().keySet(), frc);
            if (s instanceof AxesChartStyler a) {
                add(out, a.getAxisTitleFont(), Arrays.asList(c.getXAxisTitle(), c.getYAxisTitle()), frc);
                add(out, a.getAxisTickLabelsFont(), ticks, frc);
            }
        }
        return out;
    }

    private static void add(Map<String, List<Outline>> out, Font f, java.util.Collection<String> words,
                            FontRenderContext frc) {
        Map<String, Outline> made = MADE.computeIfAbsent(List.of(f, frc), k -> new java.util.concurrent.ConcurrentHashMap<>());
        if (made.size() > 20_000) {
            // A long-lived program draws many pictures: keep the cache bounded.
            made.clear();
        }
        for (String w : words) {
            if (w == null || w.isBlank()) {
                continue;
            }
            Outline o = made.computeIfAbsent(w, k -> {
                Shape shape = new TextLayout(k, f, frc).getOutline(null);
                return new Outline(k, f, types(shape), coords(shape));
            });
            List<Outline> same = out.computeIfAbsent(key(o.types()), k -> new ArrayList<>());
            if (!same.contains(o)) {
                same.add(o);
            }
        }
    }

    private static String key(int[] types) {
        return types.length + ":" + Arrays.hashCode(types);
    }

    private static int[] types(Shape shape) {
        List<Integer> t = new ArrayList<>();
        double[] p = new double[6];
        for (PathIterator it = shape.getPathIterator(null); !it.isDone(); it.next()) {
            t.add(it.currentSegment(p));
        }
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] coords(Shape shape) {
        double[] p = new double[6];
        double[] all = new double[64];
        int n = 0;
        for (PathIterator it = shape.getPathIterator(null); !it.isDone(); it.next()) {
            int type = it.currentSegment(p);
            int k = type == PathIterator.SEG_CUBICTO ? 6 : type == PathIterator.SEG_QUADTO ? 4
                    : type == PathIterator.SEG_CLOSE ? 0 : 2;
            if (n + k > all.length) {
                all = Arrays.copyOf(all, 2 * all.length + k);
            }
            System.arraycopy(p, 0, all, n, k);
            n += k;
        }
        return Arrays.copyOf(all, n);
    }
}
