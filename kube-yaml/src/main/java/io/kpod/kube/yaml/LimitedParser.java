package io.kpod.kube.yaml;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Wraps snakeyaml-engine's event parser to refuse documents nested too deep or too many
 * documents before the (recursive) composer builds them, and to tell which document an error
 * belongs to. snakeyaml-engine 2.x has no depth limit of its own, and its composer would
 * overflow the stack on {@code [[[[...}.
 */
final class LimitedParser implements Parser {
    private final Parser delegate;
    private final YamlLimits limits;
    private int depth;
    private int documents;
    private boolean inDocument;

    LimitedParser(Parser delegate, YamlLimits limits) {
        this.delegate = delegate;
        this.limits = limits;
    }

    /** 1-based index of the document being read, or of the next one between documents. */
    int documentIndex() {
        return inDocument ? documents : documents + 1;
    }

    /** Documents started so far. */
    int documentsRead() {
        return documents;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return delegate.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }

    @Override
    public Event next() {
        Event e = delegate.next();
        switch (e.getEventId()) {
            case DocumentStart -> {
                if (documents >= limits.maxDocuments()) {
                    throw new LimitExceededException("more than " + limits.maxDocuments()
                            + " documents in one source", line(e));
                }
                documents++;
                inDocument = true;
                depth = 0;
            }
            case DocumentEnd -> inDocument = false;
            case MappingStart, SequenceStart -> {
                if (++depth > limits.maxDepth()) {
                    throw new LimitExceededException("nested more than " + limits.maxDepth() + " levels deep", line(e));
                }
            }
            case MappingEnd, SequenceEnd -> depth--;
            default -> {
            }
        }
        return e;
    }

    private static int line(Event e) {
        return e.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** A configured bound was crossed; carries the line where it happened. */
    static final class LimitExceededException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int line;

        LimitExceededException(String message, int line) {
            super(message, null, false, false);
            this.line = line;
        }

        int line() {
            return line;
        }
    }
}
