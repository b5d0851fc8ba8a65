package io.vdsoinventory.host;

/** The running host could not be read as expected (maps unreadable, capture paths disagree, ...). */
public final class HostReadException extends Exception {
    public HostReadException(String message) {
        super(message);
    }

    public HostReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
