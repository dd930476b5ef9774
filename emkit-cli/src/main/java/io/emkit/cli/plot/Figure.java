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

    private final int width;
    private final int height;
    private final int rows;
    private final int cols;
    private final List<Chart<?, ?>> panels;

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

    /** @return the width in pixels */
    public int width() {
        return width;
    }

    /** @return the height in pixels */
    public int height() {
        return height;
    }

    private void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int pw = width / cols;
        int ph = height / rows;
        for (int i = 0; i < panels.size(); i++) {
            Chart<?, ?> chart = panels.get(i);
            if (chart == null) {
                continue;
            }
            Graphics2D p = (Graphics2D) g.create();
            p.translate((i % cols) * pw, (i / cols) * ph);
            p.clipRect(0, 0, pw, ph);
            chart.paint(p, cols == 1 && rows == 1 ? width : pw, cols == 1 && rows == 1 ? height : ph);
            p.dispose();
        }
    }

    /** @return the figure as an image */
    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        paint(g);
        g.dispose();
        return image;
    }

    private VectorGraphics2D vector() {
        VectorGraphics2D g = new VectorGraphics2D();
        paint(g);
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
            case SVG -> new SVGProcessor().getDocument(vector().getCommands(), page).writeTo(out);
            case PDF -> {
                Document doc = new PDFProcessor(true).getDocument(vector().getCommands(), page);
                doc.writeTo(out);
            }
            default -> throw new AssertionError(format);
        }
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
