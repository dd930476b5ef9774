package io.emkit.io;

import io.emkit.EmkitException;

/** A model file that cannot be read: missing, not JSON, of an unknown kind, or with invalid content. */
public class ModelFileException extends EmkitException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the file, as the user named it
     * @param problem what is wrong with it
     */
    public ModelFileException(String file, String problem) {
        super(file + ": " + problem);
    }

    /**
     * @param file    the file, as the user named it
     * @param problem what is wrong with it
     * @param cause   the underlying failure
     */
    public ModelFileException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
