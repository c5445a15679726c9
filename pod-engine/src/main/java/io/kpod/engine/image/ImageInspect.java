package io.kpod.engine.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** What {@code podman image inspect} prints for one image, with Podman's JSON field names. */
public record ImageInspect(
        @JsonProperty("Id") String id,
        @JsonProperty("Digest") String digest,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Parent") String parent,
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") String created,
        @JsonProperty("Config") JsonNode config,
        @JsonProperty("Version") String version,
        @JsonProperty("Author") String author,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("Os") String os,
        @JsonProperty("Size") long size,
        @JsonProperty("VirtualSize") long virtualSize,
        @JsonProperty("RootFS") RootFs rootFs,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("Annotations") Map<String, String> annotations,
        @JsonProperty("ManifestType") String manifestType,
        @JsonProperty("User") String user,
        @JsonProperty("History") JsonNode history,
        @JsonProperty("NamesHistory") List<String> namesHistory) {

    /** The image's layers by diff-id, bottom first. */
    public record RootFs(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {
    }
}
