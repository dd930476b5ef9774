package io.emkit.cli.plot;

import org.knowm.xchart.style.markers.Marker;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;

/**
 * A point marker and a line dash, told apart without colour: the fourteen shapes of a picture with one line per
 * covariance structure (as mclust's BIC plot gives each model its own symbol and line type), and the short
 * vertical stroke of a rug.
 */
public final class Glyph extends Marker {
    /** The shapes, each drawn filled or as an outline. */
    public enum Shape {
        /** A filled circle. */
        CIRCLE,
        /** A square outline. */
        SQUARE_OPEN,
        /** A filled triangle, point up. */
        TRIANGLE,
        /** A plus sign. */
        PLUS,
        /** A filled square. */
        SQUARE,
        /** A diagonal cross. */
        CROSS,
        /** A circle outline. */
        CIRCLE_OPEN,
        /** A six-armed asterisk. */
        ASTERISK,
        /** A triangle outline, point up. */
        TRIANGLE_OPEN,
        /** A filled diamond. */
        DIAMOND,
        /** A diamond outline. */
        DIAMOND_OPEN,
        /** A filled triangle, point down. */
        TRIANGLE_DOWN,
        /** A triangle outline, point down. */
        TRIANGLE_DOWN_OPEN,
        /** A square outline with a cross in it. */
        SQUARE_CROSSED,
        /** A short vertical stroke standing on the point: a rug's tick. */
        TICK
    }

    /** Dash patterns (on, off, ...), one per line; {@code null} is solid. */
    private static final float[][] DASHES = {
        null, {7f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}, {14f, 4f}, {4f, 2f, 4f, 6f}, {1f, 5f},
        {10f, 3f, 2f, 3f, 2f, 3f}, {5f, 2f}, {3f, 7f}, {16f, 3f, 5f, 3f}, {2f, 2f}, {10f, 6f}, {6f, 3f, 2f, 3f, 2f, 3f},
    };

    private final Shape shape;
    private final int size;

    /** @param shape what to draw, at the chart's marker size */
    public Glyph(Shape shape) {
        this(shape, 0);
    }

    /**
     * @param shape what to draw
     * @param size  its size in pixels whatever the chart's marker size, or 0 for the chart's
     */
    public Glyph(Shape shape, int size) {
        this.shape = shape;
        this.size = size;
    }

    /** @return the size in pixels this glyph is always drawn at, or 0 when it takes the chart's */
    public int size() {
        return size;
    }

    /** @return the shape drawn */
    public Shape shape() {
        return shape;
    }

    /**
     * The {@code i}-th of the fourteen series glyphs, in a fixed order (cycling beyond fourteen).
     *
     * @param i the series, from 0
     * @return its marker
     */
    public static Glyph series(int i) {
        return new Glyph(Shape.values()[i % 14]);
    }

    /**
     * The {@code i}-th of the fourteen dash patterns (the first solid), in a fixed order (cycling beyond fourteen).
     *
     * @param i     the series, from 0
     * @param width the line width
     * @return the stroke
     */
    public static BasicStroke dash(int i, float width) {
        float[] d = DASHES[i % DASHES.length];
        return d == null ? new BasicStroke(width)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, d, 0f);
    }

    @Override
    public void paint(Graphics2D g, double x, double y, int chartSize) {
        int size = this.size > 0 ? this.size : chartSize;
        double r = size / 2.0;
        Stroke old = g.getStroke();
        g.setStroke(new BasicStroke(1.3f));
        switch (shape) {
            case CIRCLE -> g.fill(new Ellipse2D.Double(x - r, y - r, size, size));
            case CIRCLE_OPEN -> g.draw(new Ellipse2D.Double(x - r, y - r, size, size));
            case SQUARE -> g.fill(polygon(x, y, r * 0.9, 4, Math.PI / 4));
            case SQUARE_OPEN -> g.draw(polygon(x, y, r * 0.9, 4, Math.PI / 4));
            case SQUARE_CROSSED -> {
                g.draw(polygon(x, y, r * 0.9, 4, Math.PI / 4));
                g.draw(star(x, y, r * 0.9, 2, Math.PI / 4));
            }
            case TRIANGLE -> g.fill(polygon(x, y, r * 1.1, 3, -Math.PI / 2));
            case TRIANGLE_OPEN -> g.draw(polygon(x, y, r * 1.1, 3, -Math.PI / 2));
            case TRIANGLE_DOWN -> g.fill(polygon(x, y, r * 1.1, 3, Math.PI / 2));
            case TRIANGLE_DOWN_OPEN -> g.draw(polygon(x, y, r * 1.1, 3, Math.PI / 2));
            case DIAMOND -> g.fill(polygon(x, y, r * 1.1, 4, 0));
            case DIAMOND_OPEN -> g.draw(polygon(x, y, r * 1.1, 4, 0));
            case PLUS -> g.draw(star(x, y, r, 2, 0));
            case CROSS -> g.draw(star(x, y, r, 2, Math.PI / 4));
            case ASTERISK -> g.draw(star(x, y, r, 3, Math.PI / 2));
            case TICK -> {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(x, y);
                p.lineTo(x, y - 2 * size);
                g.draw(p);
            }
            default -> throw new AssertionError(shape);
        }
        g.setStroke(old);
    }

    /** A regular polygon of {@code n} corners on a circle of radius r, the first at angle {@code start}. */
    private static Path2D polygon(double x, double y, double r, int n, double start) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < n; i++) {
            double a = start + 2 * Math.PI * i / n;
            if (i == 0) {
                p.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
            } else {
                p.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    /** {@code n} strokes through the centre, the first at angle {@code start}. */
    private static Path2D star(double x, double y, double r, int n, double start) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < n; i++) {
            double a = start + Math.PI * i / n;
            p.moveTo(x - r * Math.cos(a), y - r * Math.sin(a));
            p.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
        }
        return p;
    }
}
