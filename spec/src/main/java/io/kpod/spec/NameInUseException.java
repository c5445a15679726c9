package io.kpod.spec;

/** A name the user asked for is already taken by another object of the same kind. */
public class NameInUseException extends KpodException {
    private static final long serialVersionUID = 1L;

    public NameInUseException(String objectType, String name, String holderId) {
        super(ErrorKind.CONFLICT, "the " + objectType + " name \"" + name + "\" is already in use by "
                + shortId(holderId) + ". You have to remove that " + objectType
                + " to be able to reuse that name");
    }

    private static String shortId(String id) {
        return id == null ? "another object" : id.length() > 12 ? id.substring(0, 12) : id;
    }
}
