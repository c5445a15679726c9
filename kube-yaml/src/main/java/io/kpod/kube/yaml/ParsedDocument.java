package io.kpod.kube.yaml;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One Kubernetes object read from a manifest: where it came from ({@code source} name, 1-based
 * document {@code index} and {@code line}) and the object. Items of a {@code kind: List} share
 * their list's document index and carry their own line. Kinds kpod does not honour arrive as
 * {@link GenericKubernetesResource}.
 */
public record ParsedDocument(String source, int index, int line, HasMetadata resource) {

    /** True when the object is one of the kinds kpod acts on, as a typed fabric8 object. */
    public boolean honoured() {
        return !(resource instanceof GenericKubernetesResource);
    }

    /** {@code apiVersion/kind}, for messages such as "ignoring networking.k8s.io/v1/Ingress". */
    public String kindReference() {
        return resource.getApiVersion() + "/" + resource.getKind();
    }
}
