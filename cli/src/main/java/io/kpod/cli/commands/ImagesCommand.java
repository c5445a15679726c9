package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.cli.Output;
import io.kpod.cli.format.HumanUnits;
import io.kpod.cli.format.JsonOutput;
import io.kpod.engine.Json;
import io.kpod.engine.image.ImageRecord;
import io.kpod.engine.image.ImageReference;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kpod images}: one row per name (or one {@code <none>} row for a dangling image), as Podman lists them. */
@Command(name = "images", description = "List images in local storage")
public final class ImagesCommand extends BaseCommand {
    @Option(names = {"-q", "--quiet"}, description = "Print only the image IDs")
    boolean quiet;

    @Option(names = "--format", description = "json, or a Go template")
    String format;

    @Option(names = "--no-trunc", description = "Do not truncate the image IDs")
    boolean noTrunc;

    @Option(names = {"-a", "--all"}, description = "Show all images")
    boolean all;

    @Override
    public Integer call() {
        List<ImageRecord> images = kpod().images().list();
        if (quiet) {
            images.stream().map(i -> noTrunc ? "sha256:" + i.id() : i.shortId()).distinct().forEach(out()::println);
            return 0;
        }
        if ("json".equals(format)) {
            Output.json(out(), images.stream().map(ImagesCommand::json).toList(), JsonOutput.IMAGES_INDENT);
            return 0;
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (ImageRecord i : images) {
            List<String> names = i.names().isEmpty() ? List.of("<none>:<none>") : i.names();
            for (String n : names) {
                ObjectNode o = json(i);
                int at = n.indexOf('@');
                int colon = n.lastIndexOf(':');
                // a name by digest (repo@sha256:…) has no tag
                boolean tagged = at < 0 && colon > n.lastIndexOf('/');
                o.put("Repository", at >= 0 ? n.substring(0, at) : tagged ? n.substring(0, colon) : n);
                o.put("Tag", tagged ? n.substring(colon + 1) : "<none>");
                o.put("ID", noTrunc ? "sha256:" + i.id() : i.shortId());
                o.put("CreatedSince", HumanUnits.ago(created(i), Instant.now()));
                o.put("Size", HumanUnits.imageSize(i.size()));
                rows.add(o);
            }
        }
        Output.template(out(), format == null
                        ? "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}" : format, rows,
                Map.of("Repository", "REPOSITORY", "Tag", "TAG", "ID", "IMAGE ID", "CreatedSince", "CREATED",
                        "Size", "SIZE"), format != null);
        return 0;
    }

    static Instant created(ImageRecord i) {
        try {
            return OffsetDateTime.parse(i.created()).toInstant();
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** One {@code images --format json} entry with Podman's field names. */
    static ObjectNode json(ImageRecord i) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("Id", i.id());
        o.put("ParentId", "");
        var tags = o.putArray("RepoTags");
        i.names().forEach(tags::add);
        var digests = o.putArray("RepoDigests");
        for (String n : i.names()) {
            try {
                digests.add(ImageReference.parse(n).withoutDigest().name() + "@" + i.digest());
            } catch (RuntimeException e) {
                // a name that no longer parses has no digest form; leave it out
            }
        }
        o.put("Size", i.size());
        o.put("SharedSize", 0);
        o.put("VirtualSize", i.size());
        o.putObject("Labels");
        o.put("Containers", 0);
        var names = o.putArray("Names");
        i.names().forEach(names::add);
        o.put("Digest", i.digest());
        o.put("Created", created(i).getEpochSecond());
        o.put("CreatedAt", i.created());
        o.put("Dangling", i.dangling());
        return o;
    }
}
