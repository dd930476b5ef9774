/**
 * Data: the dense {@link io.emkit.data.Dataset} every model reads, and reading it from CSV files.
 * {@code NaN} marks a missing value.
 */
package io.emkit.data;
