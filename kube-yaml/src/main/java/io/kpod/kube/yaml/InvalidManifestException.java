package io.kpod.kube.yaml;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;

/**
 * A Kubernetes manifest that kpod cannot read, located as precisely as the input allows:
 * {@code app.yaml: document 2, line 14: spec.containers[0].ports[0].containerPort: cannot parse "abc" as an integer}.
 */
public class InvalidManifestException extends KpodException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int documentIndex;
    private final int line;
    private final String fieldPath;
    private final String reason;

    /**
     * @param file the source's name as the user gave it ({@code -} for standard input)
     * @param documentIndex 1-based position of the YAML document in the source, 0 when the whole source is at fault
     * @param line 1-based line in the source, 0 when unknown
     * @param fieldPath Kubernetes field path such as {@code spec.containers[0].image}, empty when none applies
     * @param reason what is wrong, for a person
     */
    public InvalidManifestException(String file, int documentIndex, int line, String fieldPath, String reason) {
        this(file, documentIndex, line, fieldPath, reason, null);
    }

    public InvalidManifestException(String file, int documentIndex, int line, String fieldPath, String reason,
            Throwable cause) {
        super(ErrorKind.INVALID, format(file, documentIndex, line, fieldPath, reason), cause);
        this.file = file;
        this.documentIndex = documentIndex;
        this.line = line;
        this.fieldPath = fieldPath == null ? "" : fieldPath;
        this.reason = reason;
    }

    public static String format(String file, int documentIndex, int line, String fieldPath, String reason) {
        StringBuilder sb = new StringBuilder(file);
        if (documentIndex > 0) {
            sb.append(": document ").append(documentIndex);
            if (line > 0) {
                sb.append(", line ").append(line);
            }
        } else if (line > 0) {
            sb.append(": line ").append(line);
        }
        if (fieldPath != null && !fieldPath.isEmpty()) {
            sb.append(": ").append(fieldPath);
        }
        return sb.append(": ").append(reason).toString();
    }

    public String file() {
        return file;
    }

    public int documentIndex() {
        return documentIndex;
    }

    public int line() {
        return line;
    }

    public String fieldPath() {
        return fieldPath;
    }

    public String reason() {
        return reason;
    }
}
