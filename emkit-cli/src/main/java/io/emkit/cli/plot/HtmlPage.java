package io.emkit.cli.plot;

import io.emkit.io.AtomicFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What the self-contained HTML pages of this package share ({@link Report} of a fitted model, {@link HmmReport} of
 * a hidden Markov model fit): the size their pictures are drawn at, and writing the page.
 *
 * @param <P> the page's own type, which {@link #size} returns so that its setters chain
 */
public abstract class HtmlPage<P extends HtmlPage<P>> {
    /** The pictures' width in pixels. */
    int width = 900;
    /** The pictures' height in pixels. */
    int height = 650;

    /** Only the pages of this package. */
    HtmlPage() {
    }

    /**
     * Sets the size of the pictures.
     *
     * @param width  the pictures' width in pixels
     * @param height the pictures' height in pixels
     * @return this page
     */
    @SuppressWarnings("unchecked")
    public P size(int width, int height) {
        this.width = width;
        this.height = height;
        return (P) this;
    }

    /**
     * Writes the page atomically.
     *
     * @param file the HTML file
     */
    public void write(Path file) {
        String html = html();
        AtomicFiles.write(file, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return the HTML page */
    public abstract String html();
}
