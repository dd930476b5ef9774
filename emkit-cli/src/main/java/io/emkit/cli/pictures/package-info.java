/**
 * The commands that draw a fitted model — {@code plot} and {@code report} — and the picture options and
 * checks the other commands reuse for their {@code --plot} and {@code --report} ({@code PictureSize},
 * {@code Pictures}). The drawing itself, free of picocli, is {@code io.emkit.cli.plot}.
 */
package io.emkit.cli.pictures;
