package io.kpod.quadlet;

import java.util.Map;
import java.util.Set;

/** {@code .image} → a oneshot service running {@code kpod image pull}. */
final class ImageConverter implements UnitConverter {
    static final String SECTION = "Image";

    private static final Set<String> KEYS = Set.of("AllTags", "Arch", "AuthFile", "CertDir", "ContainersConfModule",
            "Creds", "DecryptionKey", "GlobalArgs", "Image", "ImageTag", "OS", "PodmanArgs", "Policy", "Retry",
            "RetryDelay", "ServiceName", "TLSVerify", "Variant");

    private static final Map<String, String> STRING_FLAGS = ContainerConverter.ordered(
            "Arch", "--arch", "AuthFile", "--authfile", "CertDir", "--cert-dir", "Creds", "--creds",
            "DecryptionKey", "--decryption-key", "OS", "--os", "Policy", "--policy", "Variant", "--variant",
            "Retry", "--retry", "RetryDelay", "--retry-delay");
    private static final Map<String, String> BOOL_FLAGS = ContainerConverter.ordered(
            "AllTags", "--all-tags", "TLSVerify", "--tls-verify");

    @Override
    public Set<String> supportedKeys() {
        return KEYS;
    }

    @Override
    public UnitFile convert(UnitFile unit, ConversionContext ctx) {
        UnitFile service = ServiceScaffold.create(unit, UnitType.IMAGE, KEYS, ctx);
        String image = unit.lookupNonEmpty(SECTION, "Image").orElseThrow(
                () -> new QuadletException("no Image key specified", unit.path().orElse(null), 0));
        KpodCommand pull = KpodCommand.base(ctx, unit, SECTION).add("image", "pull");
        STRING_FLAGS.forEach((key, flag) -> unit.lookupNonEmpty(SECTION, key).ifPresent(v -> pull.add(flag, v)));
        BOOL_FLAGS.forEach((key, flag) -> unit.lookupBoolean(SECTION, key).ifPresent(v -> pull.addBool(flag, v)));
        CommonOptions.podmanArgs(unit, SECTION, pull);
        pull.add(image);
        service.addCommand(ServiceScaffold.SERVICE, "ExecStart", pull.argv());
        OneshotService.applyDefaults(service);
        return service;
    }
}
