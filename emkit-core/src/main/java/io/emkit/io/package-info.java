/**
 * Model files: fitted models saved as JSON and read back exactly, written atomically.
 * See {@link io.emkit.io.ModelFiles} for the schema.
 *
 * <p>Uses every model package; nothing in the library uses it but the command line and the tests.
 */
package io.emkit.io;
