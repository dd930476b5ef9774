/**
 * The commands that fit models — {@code fit} (Gaussian mixtures, and mixtures of column families with
 * {@code --family}), {@code kmeans}, {@code select} and {@code hmm fit} — with what only they share: the EM
 * options, declared once in {@code EmOptionsMixin} (each command gives its defaults), the output options, the
 * engine choice, the pictures and report of a fit, and the readable summaries. It uses the shared support of
 * {@code io.emkit.cli} and the picture options of {@code io.emkit.cli.pictures}; nothing outside uses it but
 * the command tree.
 */
package io.emkit.cli.fitting;
