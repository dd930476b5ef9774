/**
 * Model files: fitted models saved as JSON and read back exactly, written atomically.
 * See {@link io.emkit.io.ModelFiles} for the schema.
 */
package io.emkit.io;
