package io.kpod.kube.yaml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two Jackson mappers of kube-yaml, configured once. The typed mapper reads the kinds kpod
 * honours as Go's encoding/json would: no string-to-number or string-to-boolean coercion (a
 * quoted {@code "80"} is not a port), numbers and booleans accepted into string fields (as
 * sigs.k8s.io/yaml converts them), and fields the schema lacks reported instead of silently kept
 * in fabric8's {@code additionalProperties}. The generic mapper keeps fabric8's defaults for
 * kinds kpod does not honour, whose content is all "additional".
 *
 * <p>fabric8's GoCompatibilityModule is deliberately not registered: YAML 1.1 resolution already
 * turns {@code 0644} into 420, and that module re-reads the decimal text of {@code mode} fields
 * as octal wherever a 0 is followed by digits (decimal {@code 400} would become 0).
 */
final class ModelMappers {
    /** Context attribute holding the {@link UnknownFields} sink of one read. */
    static final Object UNKNOWN_FIELDS = UnknownFields.class;

    private ModelMappers() {
    }

    static ObjectMapper typed() {
        return base()
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public Boolean hasAnySetter(Annotated a) {
                        // fabric8 routes unknown fields into additionalProperties; report them instead
                        if (a instanceof AnnotatedMember m && m.getDeclaringClass() != GenericKubernetesResource.class) {
                            return Boolean.FALSE;
                        }
                        return super.hasAnySetter(a);
                    }
                })
                .addMixIn(Quantity.class, QuantityDeserializer.MixIn.class)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // Go's encoding/json turns a null map value into "" and a null list item into a zero
                // value that then fails validation; kpod keeps the first and refuses the second at
                // its path rather than hand a null item to the code that reads the object
                .withConfigOverride(List.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
                .withConfigOverride(Map.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.AS_EMPTY)))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addHandler(new DeserializationProblemHandler() {
                    @Override
                    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                            JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
                        if (ctxt.getAttribute(UNKNOWN_FIELDS) instanceof UnknownFields sink) {
                            sink.paths.add(FieldPaths.fromParsingContext(p.getParsingContext(), p.currentToken()));
                        }
                        p.skipChildren();
                        return true;
                    }
                })
                .build();
    }

    static ObjectMapper generic() {
        return base().build();
    }

    private static JsonMapper.Builder base() {
        return JsonMapper.builder()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS));
    }

    /** Field paths, relative to the object read, of fields its schema does not have. */
    static final class UnknownFields {
        final List<List<Object>> paths = new ArrayList<>();
    }
}
