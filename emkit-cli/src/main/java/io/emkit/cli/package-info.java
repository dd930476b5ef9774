/**
 * The {@code emkit} command: its entry point ({@link io.emkit.cli.Emkit}, with the {@code hmm} and
 * {@code convert} commands), and what every command shares — the options for reading data and weights, the
 * reading of model inputs, HMM sequences and column families, number formats, atomic outputs, the progress
 * line and the JSON of a fit, and the {@link io.emkit.cli.ClusterEngine} seam through which another engine
 * (Spark) plugs in. The commands live in {@code fitting}, {@code applying} and {@code pictures}; this package
 * names them only to assemble the command tree.
 */
package io.emkit.cli;
