package io.kpod.engine.state;

/** A container's life-cycle state, with Podman's names. */
public enum ContainerStatus {
    CREATED("created"),
    RUNNING("running"),
    PAUSED("paused"),
    STOPPING("stopping"),
    EXITED("exited"),
    REMOVING("removing");

    private final String text;

    ContainerStatus(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public boolean isActive() {
        return this == RUNNING || this == PAUSED || this == STOPPING;
    }
}
