package io.emkit.cli.plot;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import io.emkit.EmkitException;
import io.emkit.io.AtomicFiles;
import org.knowm.xchart.internal.chartpart.Chart;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One picture: XChart charts (of any kind) laid out on a grid of equal panels (a single chart is a 1×1 grid),
 * written as PNG, SVG or PDF.
 */
public final class Figure {
    /** The image formats a figure can be written in, chosen by the file name's extension. */
    public enum Format {
        /** Portable Network Graphics, a bitmap. */
        PNG,
        /** Scalable Vector Graphics. */
        SVG,
        /** Portable Document Format, vector. */
        PDF;

        /**
         * @param file a file name ending in .png, .svg or .pdf (any case)
         * @return its format
         * @throws EmkitException for any other extension
         */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (name.endsWith("." + f.name().toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new EmkitException(file + ": cannot tell the image format; the file name must end in .png, .svg or .pdf");
        }
    }

    /**
     * One entry of a legend the figure draws itself (in a cell of a grid that no chart fills).
     *
     * @param label  the text
     * @param color  the colour of its marker and line
     * @param marker the marker, or {@code null} for none
     * @param line   the line's stroke, or {@code null} for none
     */
    public record Key(String label, Color color, Glyph marker, BasicStroke line) {
    }

    private final int width;
    private final int height;
    private final int rows;
    private final int cols;
    private final List<Chart<?, ?>> panels;
    private int legendCell = -1;
    private String legendTitle;
    private List<Key> keys = List.of();

    private Figure(int width, int height, int rows, int cols, List<Chart<?, ?>> panels) {
        this.width = width;
        this.height = height;
        this.rows = rows;
        this.cols = cols;
        this.panels = panels;
    }

    /**
     * A figure of one chart, as large as the chart.
     *
     * @param chart the chart
     * @return the figure
     */
    public static Figure of(Chart<?, ?> chart) {
        List<Chart<?, ?>> one = new ArrayList<>();
        one.add(chart);
        return new Figure(chart.getWidth(), chart.getHeight(), 1, 1, one);
    }

    /**
     * A grid of panels, filled row by row; a {@code null} panel is left blank.
     *
     * @param width  the whole figure's width in pixels
     * @param height the whole figure's height in pixels
     * @param rows   rows of panels
     * @param cols   columns of panels
     * @param panels at most {@code rows × cols} charts, each sized {@code width / cols × height / rows}
     * @return the figure
     */
    public static Figure grid(int width, int height, int rows, int cols, List<? extends Chart<?, ?>> panels) {
        if (panels.size() > rows * cols) {
            throw new IllegalArgumentException(panels.size() + " panels do not fit a " + rows + "x" + cols + " grid");
        }
        return new Figure(width, height, rows, cols, new ArrayList<>(panels));
    }

    /**
     * Draws a legend, with a title above it, in one cell of the grid (one that no chart fills).
     *
     * @param cell  the cell, row by row from 0
     * @param title the title (wrapped to the cell's width), or {@code null}
     * @param keys  the entries, top to bottom
     * @return this figure
     */
    public Figure legend(int cell, String title, List<Key> keys) {
        if (cell < 0 || cell >= rows * cols || (cell < panels.size() && panels.get(cell) != null)) {
            throw new IllegalArgumentException("cell " + cell + " is not an empty cell of the grid");
        }
        this.legendCell = cell;
        this.legendTitle = title;
        this.keys = List.copyOf(keys);
        return this;
    }

    /** @return the entries of the legend the figure draws itself (none when its charts carry their own) */
    public List<Key> keys() {
        return keys;
    }

    /** @return the charts, row by row ({@code null} for an empty cell) */
    public List<Chart<?, ?>> panels() {
        return java.util.Collections.unmodifiableList(panels);
    }

    /** @return the width in pixels */
    public int width() {
        return width;
    }

    /** @return the height in pixels */
    public int height() {
        return height;
    }

    /**
     * Paints the panels and the legend. A bitmap clips each panel to its cell; vector output ({@code clip} false)
     * draws each panel moved to its cell and unclipped (a chart stays inside its own bounds), so that the SVG
     * carries no clip paths.
     */
    private void paint(Graphics2D g, boolean clip) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int pw = width / cols;
        int ph = height / rows;
        for (int i = 0; i < panels.size(); i++) {
            Chart<?, ?> chart = panels.get(i);
            if (chart == null) {
                continue;
            }
            int w = cols == 1 && rows == 1 ? width : pw;
            int h = cols == 1 && rows == 1 ? height : ph;
            if (clip) {
                Graphics2D p = (Graphics2D) g.create();
                p.translate((i % cols) * pw, (i / cols) * ph);
                p.clipRect(0, 0, pw, ph);
                chart.paint(p, w, h);
                p.dispose();
            } else {
                java.awt.geom.AffineTransform at = g.getTransform();
                g.translate((i % cols) * pw, (i / cols) * ph);
                chart.paint(g, w, h);
                g.setTransform(at);
                g.setClip(null);
            }
        }
        if (legendCell >= 0) {
            paintLegend(g, (legendCell % cols) * pw, (legendCell / cols) * ph, pw);
        }
    }

    /** The figure's own legend: the title wrapped to the cell, then a line per key, from the cell's top left. */
    private void paintLegend(Graphics2D g, int x0, int y0, int w) {
        java.awt.Font titleFont = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 13);
        java.awt.Font font = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12);
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int y = y0 + 24;
        int x = x0 + 20;
        if (legendTitle != null) {
            g.setFont(titleFont);
            g.setColor(Color.BLACK);
            java.awt.FontMetrics fm = g.getFontMetrics();
            StringBuilder line = new StringBuilder();
            for (String word : legendTitle.split(" ")) {
                if (line.length() > 0 && fm.stringWidth(line + " " + word) > w - 40) {
                    g.drawString(line.toString(), x, y);
                    y += 17;
                    line.setLength(0);
                }
                line.append(line.length() == 0 ? "" : " ").append(word);
            }
            g.drawString(line.toString(), x, y);
            y += 26;
        }
        g.setFont(font);
        for (Key k : keys) {
            g.setColor(k.color());
            if (k.line() != null) {
                g.setStroke(k.line());
                g.draw(new java.awt.geom.Line2D.Double(x, y - 4, x + 28, y - 4));
            }
            if (k.marker() != null) {
                g.setStroke(new BasicStroke(1f));
                k.marker().paint(g, x + 14, y - 4, 8);
            }
            g.setColor(Color.BLACK);
            g.drawString(k.label(), x + 38, y);
            y += 20;
        }
    }

    /** @return the figure as an image */
    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        paint(g, true);
        g.dispose();
        return image;
    }

    private VectorGraphics2D vector(boolean clip) {
        VectorGraphics2D g = new VectorGraphics2D();
        paint(g, clip);
        return g;
    }

    /**
     * Writes the figure to a stream.
     *
     * @param format the image format
     * @param out    where to write; not closed
     * @throws IOException if writing fails
     */
    public void write(Format format, OutputStream out) throws IOException {
        PageSize page = new PageSize(0, 0, width, height);
        switch (format) {
            case PNG -> {
                if (!ImageIO.write(toImage(), "png", out)) {
                    throw new IOException("no PNG writer in this Java runtime");
                }
            }
            case SVG -> {
                SvgText texts = SvgText.recording(panels);
                VectorGraphics2D g = vector(false);
                ByteArrayOutputStream svg = new ByteArrayOutputStream();
                new SVGProcessor().getDocument(texts.compact(g.getCommands(), g.getFontRenderContext()), page).writeTo(svg);
                out.write(tidy(svg.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            }
            case PDF -> {
                Document doc = new PDFProcessor(true).getDocument(withPhysicalFonts(vector(true).getCommands()), page);
                doc.writeTo(out);
            }
            default -> throw new AssertionError(format);
        }
    }

    /** The physical font behind each logical one (SansSerif, Dialog) the charts asked for, found once. */
    private static final java.util.Map<java.awt.Font, java.awt.Font> PHYSICAL = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The commands with each font the physical one the PDF writer would have found: it looks a logical font's up
     * by laying a test text out in every font installed, for every word it writes (minutes for a matrix of pairs
     * with a few hundred fonts installed); here each is looked up once.
     */
    private static de.erichseifert.vectorgraphics2d.intermediate.CommandSequence withPhysicalFonts(
            de.erichseifert.vectorgraphics2d.intermediate.CommandSequence in) {
        de.erichseifert.vectorgraphics2d.intermediate.MutableCommandSequence out =
                new de.erichseifert.vectorgraphics2d.intermediate.MutableCommandSequence();
        for (de.erichseifert.vectorgraphics2d.intermediate.commands.Command<?> c : in) {
            if (c instanceof de.erichseifert.vectorgraphics2d.intermediate.commands.SetFontCommand f
                    && f.getValue() != null) {
                out.add(new de.erichseifert.vectorgraphics2d.intermediate.commands.SetFontCommand(
                        PHYSICAL.computeIfAbsent(f.getValue(), de.erichseifert.vectorgraphics2d.util.GraphicsUtils::getPhysicalFont)));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The SVG writer's output made smaller, in one pass over its lines (regular expressions over the whole text
     * took half a second of a short command): the root element names sans-serif for all text (SvgText leaves
     * fonts unnamed) and a physical font named anywhere becomes sans-serif (a browser without that font could not
     * use it); round ellipses become circles, and runs of circles of one style (the rows of a scatter) a group
     * that carries the style once; no indentation (a report holds thousands of elements).
     */
    static String tidy(String svg) {
        StringBuilder b = new StringBuilder(svg.length());
        String open = null;
        boolean root = false;
        int start = 0;
        while (start <= svg.length()) {
            int end = svg.indexOf('\n', start);
            if (end < 0) {
                end = svg.length();
            }
            int from = start;
            while (from < end && Character.isWhitespace(svg.charAt(from))) {
                from++;
            }
            String line = from < end && svg.charAt(from) == '<' ? svg.substring(from, end) : svg.substring(start, end);
            start = end + 1;
            if (!root && line.startsWith("<svg ")) {
                line = "<svg font-family=\"sans-serif\" " + line.substring(5);
                root = true;
            }
            if (line.contains("font-family:&quot;")) {
                line = line.replaceAll("font-family:&quot;[^&;]*&quot;;", "font-family:sans-serif;");
            }
            String[] circle = circle(line);
            String style = circle == null ? null : circle[1];
            if (open != null && !open.equals(style)) {
                b.append("</g>\n");
                open = null;
            }
            if (style != null) {
                if (open == null) {
                    b.append("<g style=\"").append(style).append("\">\n");
                    open = style;
                }
                b.append("<circle ").append(circle[0]).append("/>\n");
            } else {
                b.append(line).append('\n');
            }
        }
        if (open != null) {
            b.append("</g>\n");
        }
        return b.toString();
    }

    /**
     * A line that is one round ellipse ({@code <ellipse cx=".." cy=".." rx="r" ry="r" style=".."/>}, as the SVG
     * writer makes them) as a circle: its centre and radius attributes and its style; otherwise {@code null}.
     */
    private static String[] circle(String line) {
        String[] names = {"<ellipse cx=\"", "\" cy=\"", "\" rx=\"", "\" ry=\"", "\" style=\""};
        String[] values = new String[names.length];
        int at = 0;
        for (int k = 0; k < names.length; k++) {
            if (!line.startsWith(names[k], at)) {
                return null;
            }
            at += names[k].length();
            int close = line.indexOf('"', at);
            if (close < 0) {
                return null;
            }
            values[k] = line.substring(at, close);
            at = close;
        }
        if (!values[2].equals(values[3]) || !line.startsWith("\"/>", at) || at + 3 != line.length()) {
            return null;
        }
        return new String[] {"cx=\"" + values[0] + "\" cy=\"" + values[1] + "\" r=\"" + values[2] + "\"", values[4]};
    }

    /**
     * Writes the figure to a file atomically, in the format its extension names.
     *
     * @param file a .png, .svg or .pdf file
     * @throws EmkitException if the extension is none of those or the file cannot be written
     */
    public void write(Path file) {
        Format format = Format.of(file);
        AtomicFiles.write(file, out -> write(format, out));
    }

    /**
     * The figure as an SVG element to put inside an HTML page: no XML declaration, no document type, and
     * its element ids prefixed so that several figures on one page cannot share one.
     *
     * @param idPrefix put before every id (and every reference to one) in the SVG, e.g. {@code "fig1-"}
     * @return the {@code <svg>} element
     */
    public String toInlineSvg(String idPrefix) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(Format.SVG, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String svg = bytes.toString(StandardCharsets.UTF_8);
        int start = svg.indexOf("<svg");
        svg = start < 0 ? svg : svg.substring(start);
        return svg.replace(" id=\"", " id=\"" + idPrefix).replace("url(#", "url(#" + idPrefix)
                .replace("href=\"#", "href=\"#" + idPrefix);
    }
}
