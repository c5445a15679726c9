package io.kpod.engine.image;

import java.util.List;

/** What {@code rmi} did: names removed ({@code Untagged:}) and image ids deleted ({@code Deleted:}). */
public record RemoveReport(List<String> untagged, List<String> deleted) {
    public RemoveReport {
        untagged = List.copyOf(untagged);
        deleted = List.copyOf(deleted);
    }
}
