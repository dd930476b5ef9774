package io.emkit.cli;

import picocli.CommandLine.Option;

/** The size of every picture a command writes: --width and --height in pixels (a picocli mixin). */
final class PictureSize {
    /** Default picture width in pixels. */
    static final int WIDTH = 900;
    /** Default picture height in pixels. */
    static final int HEIGHT = 650;

    @Option(names = "--width", paramLabel = "W", description = "Picture width in pixels (100 to 20000). Default: " + WIDTH + ".")
    int width = WIDTH;

    @Option(names = "--height", paramLabel = "H", description = "Picture height in pixels (100 to 20000). Default: " + HEIGHT + ".")
    int height = HEIGHT;

    /** Refuses a size out of range, before any work. */
    void check() {
        if (width < 100 || height < 100 || width > 20_000 || height > 20_000) {
            throw new io.emkit.EmkitException("--width and --height must be between 100 and 20000 pixels, got "
                    + width + "x" + height);
        }
    }
}
