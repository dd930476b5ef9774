/**
 * Data: the dense {@link io.emkit.data.Dataset} every model reads, its sequences for the sequence models
 * ({@link io.emkit.data.Sequences}: rows cut into independent sequences), and reading it from CSV files.
 * {@code NaN} marks a missing value.
 */
package io.emkit.data;
