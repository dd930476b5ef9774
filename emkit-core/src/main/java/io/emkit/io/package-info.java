/**
 * Model files: fitted models saved as JSON and read back exactly, written atomically.
 * {@link io.emkit.io.ModelFiles} is the facade (and holds the schema): it reads and writes the keys every file
 * starts with and dispatches on {@code "kind"} to one package-private codec per model kind; the Jackson helpers
 * all codecs share are in one class beside them.
 *
 * <p>Uses every model package; nothing in the library uses it but the command line and the tests.
 */
package io.emkit.io;
