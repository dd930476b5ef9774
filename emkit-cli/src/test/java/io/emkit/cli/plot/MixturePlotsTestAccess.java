package io.emkit.cli.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;

/** Lets tests in other packages count pixels the way {@link MixturePlotsTest} does. */
public final class MixturePlotsTestAccess {
    private MixturePlotsTestAccess() {
    }

    /**
     * @param image the picture
     * @param color the colour
     * @return how many pixels are close to it
     */
    public static int pixelsOf(BufferedImage image, Color color) {
        return MixturePlotsTest.pixelsOf(image, color);
    }
}
