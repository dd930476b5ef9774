package io.emkit.cli.pictures;

import picocli.CommandLine.Option;

/** The size of every picture a command writes: --width and --height in pixels (a picocli mixin). */
public final class PictureSize {
    /** Default picture width in pixels. */
    public static final int WIDTH = 900;
    /** Default picture height in pixels. */
    public static final int HEIGHT = 650;

    @Option(names = "--width", paramLabel = "W", description = "Picture width in pixels (100 to 20000). Default: " + WIDTH + ".")
    int width = WIDTH;

    @Option(names = "--height", paramLabel = "H", description = "Picture height in pixels (100 to 20000). Default: " + HEIGHT + ".")
    int height = HEIGHT;

    /** @return the width in pixels */
    public int width() {
        return width;
    }

    /** @return the height in pixels */
    public int height() {
        return height;
    }

    /** Refuses a size out of range, before any work. */
    public void check() {
        if (width < 100 || height < 100 || width > 20_000 || height > 20_000) {
            throw new io.emkit.EmkitException("--width and --height must be between 100 and 20000 pixels, got "
                    + width + "x" + height);
        }
    }
}
