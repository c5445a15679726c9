package io.kpod.quadlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds one kpod command line: the binary, global options, then the subcommand and its flags. */
final class KpodCommand {
    private final List<String> argv = new ArrayList<>();

    private KpodCommand(String binary) {
        argv.add(binary);
    }

    /** The binary followed by {@code --module=} for ContainersConfModule and the GlobalArgs words. */
    static KpodCommand base(ConversionContext context, UnitFile unit, String section) {
        KpodCommand cmd = new KpodCommand(context.kpodBinary());
        for (String module : unit.lookupAll(section, "ContainersConfModule")) {
            cmd.add("--module=" + module);
        }
        cmd.addAll(unit.lookupAllArgs(section, "GlobalArgs"));
        return cmd;
    }

    KpodCommand add(String... args) {
        argv.addAll(List.of(args));
        return this;
    }

    KpodCommand addAll(List<String> args) {
        argv.addAll(args);
        return this;
    }

    /** {@code flag} when true, {@code flag=false} when false, as Podman writes booleans. */
    KpodCommand addBool(String flag, boolean value) {
        argv.add(value ? flag : flag + "=false");
        return this;
    }

    /** {@code flag name=value} for each pair, in the map's order. */
    KpodCommand addKeyVals(String flag, Map<String, String> pairs) {
        pairs.forEach((k, v) -> add(flag, k + "=" + v));
        return this;
    }

    List<String> argv() {
        return List.copyOf(argv);
    }
}
