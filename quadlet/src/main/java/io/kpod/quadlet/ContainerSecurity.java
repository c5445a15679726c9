package io.kpod.quadlet;

import java.nio.file.Path;
import java.util.Locale;

/** The {@code .container} keys about privileges: security options, capabilities, devices, sysctls, read-only. */
final class ContainerSecurity {
    private static final String SECTION = ContainerConverter.SECTION;

    private ContainerSecurity() {
    }

    static void apply(UnitFile unit, ConversionContext ctx, KpodCommand run) {
        if (unit.lookupBoolean(SECTION, "NoNewPrivileges", false)) {
            run.add("--security-opt=no-new-privileges");
        }
        if (unit.lookupBoolean(SECTION, "SecurityLabelDisable", false)) {
            run.add("--security-opt", "label=disable");
        }
        if (unit.lookupBoolean(SECTION, "SecurityLabelNested", false)) {
            run.add("--security-opt", "label=nested");
        }
        unit.lookupNonEmpty(SECTION, "SecurityLabelType").ifPresent(v -> run.add("--security-opt", "label=type:" + v));
        unit.lookupNonEmpty(SECTION, "SecurityLabelFileType")
                .ifPresent(v -> run.add("--security-opt", "label=filetype:" + v));
        unit.lookupNonEmpty(SECTION, "SecurityLabelLevel").ifPresent(v -> run.add("--security-opt", "label=level:" + v));
        unit.lookupNonEmpty(SECTION, "AppArmor").ifPresent(v -> run.add("--security-opt", "apparmor=" + v));
        for (String device : unit.lookupAllStrv(SECTION, "AddDevice")) {
            if (device.startsWith("-")) {
                // a leading '-' makes the device optional: skipped when the host lacks it
                device = device.substring(1);
                if (!ctx.pathExists().test(Path.of(device.split(":", 2)[0]))) {
                    continue;
                }
            }
            run.add("--device", device);
        }
        unit.lookup(SECTION, "SeccompProfile").ifPresent(v -> run.add("--security-opt", "seccomp=" + v));
        for (String cap : unit.lookupAllStrv(SECTION, "DropCapability")) {
            run.add("--cap-drop", cap.toLowerCase(Locale.ROOT));
        }
        for (String cap : unit.lookupAllStrv(SECTION, "AddCapability")) {
            run.add("--cap-add", cap.toLowerCase(Locale.ROOT));
        }
        for (String sysctl : unit.lookupAllStrv(SECTION, "Sysctl")) {
            run.add("--sysctl", sysctl);
        }
        var readOnly = unit.lookupBoolean(SECTION, "ReadOnly");
        readOnly.ifPresent(v -> run.addBool("--read-only", v));
        if (unit.lookupBoolean(SECTION, "VolatileTmp", false) && !readOnly.orElse(false)) {
            run.add("--tmpfs", "/tmp:rw,size=512M,mode=1777");
        }
    }

    static void masks(UnitFile unit, KpodCommand run) {
        for (String mask : unit.lookupAllArgs(SECTION, "Mask")) {
            run.add("--security-opt", "mask=" + mask);
        }
        for (String unmask : unit.lookupAllArgs(SECTION, "Unmask")) {
            run.add("--security-opt", "unmask=" + unmask);
        }
    }
}
