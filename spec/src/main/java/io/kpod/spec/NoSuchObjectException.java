package io.kpod.spec;

/** A container, pod, image, volume, secret or network named by the user does not exist. */
public class NoSuchObjectException extends KpodException {
    private static final long serialVersionUID = 1L;
    private final String objectType;
    private final String reference;

    public NoSuchObjectException(String objectType, String reference) {
        super(ErrorKind.NOT_FOUND, "no " + objectType + " with name or ID \"" + reference + "\" found");
        this.objectType = objectType;
        this.reference = reference;
    }

    public NoSuchObjectException(String objectType, String reference, String message) {
        super(ErrorKind.NOT_FOUND, message);
        this.objectType = objectType;
        this.reference = reference;
    }

    public String objectType() {
        return objectType;
    }

    public String reference() {
        return reference;
    }
}
