package io.kpod.cli.commands;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import picocli.CommandLine.Parameters;

/** {@code kpod … exists NAME}: exit 0 when the object exists, 1 when it does not, 125 on any other error. */
abstract class ExistsCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    /** Looks the object up, throwing a NOT_FOUND {@link KpodException} when it does not exist. */
    protected abstract void lookup(String name);

    @Override
    public Integer call() {
        try {
            lookup(name);
            return 0;
        } catch (KpodException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return 1;
            }
            throw e;
        }
    }
}
