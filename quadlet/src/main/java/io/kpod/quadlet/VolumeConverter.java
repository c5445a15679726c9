package io.kpod.quadlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code .volume} → a oneshot service running {@code kpod volume create --ignore}. */
final class VolumeConverter implements UnitConverter {
    static final String SECTION = "Volume";

    private static final Set<String> KEYS = Set.of("ContainersConfModule", "Copy", "Device", "Driver", "GlobalArgs",
            "Group", "Image", "Label", "Options", "PodmanArgs", "ServiceName", "Type", "User", "VolumeName");

    @Override
    public Set<String> supportedKeys() {
        return KEYS;
    }

    @Override
    public UnitFile convert(UnitFile unit, ConversionContext ctx) {
        UnitFile service = ServiceScaffold.create(unit, UnitType.VOLUME, KEYS, ctx);
        String volumeName = ctx.infoOf(unit).resourceName();
        KpodCommand create = KpodCommand.base(ctx, unit, SECTION).add("volume", "create", "--ignore");
        var driver = unit.lookup(SECTION, "Driver");
        driver.ifPresent(d -> create.add("--driver", d));
        if (driver.orElse("").equals("image")) {
            var imageEntry = unit.lastEntry(SECTION, "Image").orElseThrow(() -> QuadletException.at(
                    unit.lastEntry(SECTION, "Driver").orElseThrow(), "the key Image is mandatory when using the image driver"));
            String image = CommonOptions.imageSource(unit.lookup(SECTION, "Image").orElseThrow(), service, ctx, imageEntry);
            create.add("--opt", "image=" + image);
        } else {
            deviceOptions(unit, create);
        }
        create.addKeyVals("--label", unit.lookupAllKeyVal(SECTION, "Label"));
        CommonOptions.podmanArgs(unit, SECTION, create);
        create.add(volumeName);
        service.addCommand(ServiceScaffold.SERVICE, "ExecStart", create.argv());
        OneshotService.applyDefaults(service);
        return service;
    }

    /** uid/gid/mount options go into one {@code o=} option; Device, Type and Copy into their own. */
    private static void deviceOptions(UnitFile unit, KpodCommand create) {
        List<String> mountOpts = new ArrayList<>();
        numeric(unit, "User").ifPresent(uid -> mountOpts.add("uid=" + uid));
        numeric(unit, "Group").ifPresent(gid -> mountOpts.add("gid=" + gid));
        unit.lookupBoolean(SECTION, "Copy").ifPresent(copy -> create.add("--opt", copy ? "copy" : "nocopy"));
        var device = unit.lookupNonEmpty(SECTION, "Device");
        device.ifPresent(d -> create.add("--opt", "device=" + d));
        var type = unit.lookupNonEmpty(SECTION, "Type");
        if (type.isPresent()) {
            if (device.isEmpty()) {
                throw QuadletException.at(unit.lastEntry(SECTION, "Type").orElseThrow(), "key Type can't be used without Device");
            }
            create.add("--opt", "type=" + type.get());
        }
        var options = unit.lookupNonEmpty(SECTION, "Options");
        if (options.isPresent()) {
            if (device.isEmpty()) {
                throw QuadletException.at(unit.lastEntry(SECTION, "Options").orElseThrow(),
                        "key Options can't be used without Device");
            }
            mountOpts.add(options.get());
        }
        if (!mountOpts.isEmpty()) {
            create.add("--opt", "o=" + String.join(",", mountOpts));
        }
    }

    private static java.util.Optional<Long> numeric(UnitFile unit, String key) {
        var entry = unit.lastEntry(SECTION, key);
        if (entry.isEmpty()) {
            return java.util.Optional.empty();
        }
        String v = unit.lookup(SECTION, key).orElse("");
        try {
            long id = Long.parseLong(v);
            if (id < 0 || id > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return java.util.Optional.of(id);
        } catch (NumberFormatException e) {
            throw QuadletException.at(entry.get(), "invalid " + key + " '" + v + "': a numeric id is required");
        }
    }
}
