package io.streamprop.data;

import java.io.IOException;

/** A dataset that cannot be read at all: a missing column, a wrong file type, a truncated file. */
public final class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }
}
