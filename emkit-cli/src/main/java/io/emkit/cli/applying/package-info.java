/**
 * The commands that use a fitted model: {@code predict}, {@code score}, {@code sample}, {@code impute}, and
 * {@code hmm decode}, {@code hmm score} and {@code hmm sample}. Each reads a model file and, where it takes
 * data, reads it with the shared support of {@code io.emkit.cli}; {@code hmm decode --plot} draws with
 * {@code io.emkit.cli.pictures}.
 */
package io.emkit.cli.applying;
