package io.kpod.cli.commands;

import io.kpod.engine.image.RemoveReport;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod rmi [-f] IMAGE…}: Podman's output (Untagged:/Deleted:) and exit codes (1 missing, 2 in use). */
@Command(name = "rmi", description = "Remove images")
public final class RmiCommand extends MultiTargetCommand {
    @Parameters(arity = "0..*", paramLabel = "IMAGE") List<String> images = new ArrayList<>();
    @Option(names = {"-f", "--force"}, description = "Remove containers that use the image, then the image") boolean force;
    @Option(names = {"-a", "--all"}, description = "Remove all images") boolean all;
    @Option(names = {"-i", "--ignore"}, description = "Ignore images that do not exist") boolean ignore;

    @Override
    protected String act(String ref) {
        try {
            // only when the image itself goes: removing one of several names leaves its containers alone
            if (force && kpod().images().removeDeletesImage(ref)) {
                String id = kpod().images().resolve(ref).id();
                kpod().containers().containersUsingImage(id)
                        .forEach(r -> kpod().containers().remove(r.id(), true, true, 0));
            }
            RemoveReport r = kpod().images().remove(ref, force, id -> kpod().containers().containerUsingImage(id));
            List<String> lines = new ArrayList<>();
            r.untagged().forEach(n -> lines.add("Untagged: " + n));
            r.deleted().forEach(d -> lines.add("Deleted: " + d));
            return lines.isEmpty() ? null : String.join("\n", lines);
        } catch (KpodException e) {
            if (ignore && e.kind() == ErrorKind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    @Override
    protected int codeFor(KpodException e) {
        return e.kind() == ErrorKind.NOT_FOUND ? 1 : e.kind() == ErrorKind.CONFLICT ? 2 : 125;
    }

    @Override
    public Integer call() {
        List<String> t = all ? kpod().images().list().stream().map(i -> i.id()).toList() : images;
        return forEach(t);
    }
}
