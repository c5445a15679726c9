package io.kpod.kube.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpod.kube.yaml.KubeYaml;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeLintTest {
    private static List<String> lint(String yaml) {
        return KubeLint.lint(KubeYaml.create().parseText("t.yaml", yaml).resources());
    }

    @Test
    void reportsWhatAClusterWouldTreatDifferently() {
        List<String> out = lint("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      volumes: [{name: data, hostPath: {path: /srv/data}}]
                      containers:
                      - name: app
                        image: localhost/web:1
                        ports: [{containerPort: 80, hostPort: 8080}]
                        securityContext: {runAsUser: 0}
                        volumeMounts: [{name: data, mountPath: /data}]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: {a: b}
                """);
        assertThat(out).containsExactly(
                "Deployment web: volume data is a hostPath (/srv/data): on a cluster it is a directory of whichever node runs the pod",
                "Deployment web, container app: image localhost/web:1 has a localhost/ name that no cluster can pull; push it to a registry",
                "Deployment web, container app: port 80 uses hostPort 8080, which ties the pod to a node and clashes between replicas; use a Service",
                "Deployment web, container app: no resource limits (memory, cpu); a cluster may reject or starve it",
                "Deployment web, container app: no liveness or readiness probe",
                "Deployment web, container app: runs as root (runAsUser: 0)");
    }

    @Test
    void aCarefulPodHasNoFindingsAndInitContainersNeedNoProbes() {
        List<String> out = lint("""
                apiVersion: v1
                kind: Pod
                metadata: {name: careful}
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 1000}
                  initContainers:
                  - {name: init, image: quay.io/org/init:1, resources: {limits: {memory: 16Mi}}}
                  containers:
                  - name: app
                    image: quay.io/org/app:1
                    resources: {limits: {memory: 64Mi, cpu: 500m}}
                    readinessProbe: {tcpSocket: {port: 8080}}
                """);
        assertThat(out).isEmpty();
        assertThat(lint("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - {name: a, image: busybox, resources: {limits: {memory: 1Mi}}, livenessProbe: {exec: {command: [true]}}}
                """)).containsExactly(
                "Pod p, container a: may run as root (no runAsUser or runAsNonRoot; the image's user applies)");
    }
}
