package io.kpod.kube.yaml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/** Turns a Jackson mapping failure into a reason a person can act on. */
final class Problems {
    private Problems() {
    }

    /**
     * @param e what Jackson threw
     * @param value the input value at the failing path, or null if unknown
     */
    static String describe(JacksonException e, JsonNode value) {
        if (e instanceof InvalidNullException) {
            return "a list item must not be null (an empty \"-\" entry?)";
        }
        Class<?> target = targetType(e);
        if (target != null && value != null) {
            String want = describeType(target);
            if (value.isValueNode() && !value.isNull() && (isScalarType(target) || target == Quantity.class)) {
                if (isIntegral(target) && value.isNumber() && isWhole(value)) {
                    return show(value) + " is out of range for this field";
                }
                return "cannot parse " + show(value) + " as " + want + hint(value, target);
            }
            if (!value.isNull()) {
                return "expected " + want + ", found " + describeValue(value);
            }
        }
        String message = innermost(e).getOriginalMessage();
        int nl = message == null ? -1 : message.indexOf('\n');
        return message == null ? e.getClass().getSimpleName() : nl < 0 ? message : message.substring(0, nl);
    }

    private static Class<?> targetType(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MismatchedInputException m && m.getTargetType() != null) {
                return m.getTargetType();
            }
            if (t instanceof InputCoercionException c && c.getTargetType() != null) {
                return c.getTargetType();
            }
            if (t instanceof ValueInstantiationException v && v.getType() != null) {
                return v.getType().getRawClass();
            }
        }
        return null;
    }

    private static boolean isWhole(JsonNode v) {
        double d = v.doubleValue();
        return v.isIntegralNumber() || (!Double.isNaN(d) && !Double.isInfinite(d) && d == Math.rint(d));
    }

    /** A value as the user wrote it, near enough: strings quoted, numbers in plain decimal. */
    private static String show(JsonNode v) {
        if (v.isFloatingPointNumber()) {
            double d = v.doubleValue();
            return Double.isNaN(d) || Double.isInfinite(d) ? String.valueOf(d)
                    : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }

    private static JacksonException innermost(JacksonException e) {
        JacksonException found = e;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JacksonException j) {
                found = j;
            }
        }
        return found;
    }

    private static String hint(JsonNode value, Class<?> target) {
        if (!value.isTextual()) {
            return "";
        }
        JsonNode unquoted = GoScalars.resolvePlain(value.textValue());
        if ((isIntegral(target) && unquoted.isIntegralNumber()) || (isBoolean(target) && unquoted.isBoolean())
                || (isFloat(target) && unquoted.isNumber())) {
            return " (quoted, it is a string: remove the quotes)";
        }
        return "";
    }

    static String describeValue(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isTextual()) {
            return "the string " + v;
        }
        if (v.isNumber()) {
            return "the number " + show(v);
        }
        return v.toString();
    }

    private static String describeType(Class<?> t) {
        if (isIntegral(t)) {
            return "an integer";
        }
        if (isBoolean(t)) {
            return "a boolean";
        }
        if (isFloat(t)) {
            return "a number";
        }
        if (t == String.class) {
            return "a string";
        }
        if (t == IntOrString.class) {
            return "an integer or a string";
        }
        if (t == Quantity.class) {
            return "a quantity such as 250m or 1Gi";
        }
        if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(t)) {
            return "a mapping";
        }
        if (t.isEnum()) {
            return "one of " + java.util.Arrays.toString(t.getEnumConstants());
        }
        return "a mapping (" + t.getSimpleName() + ")";
    }

    private static boolean isScalarType(Class<?> t) {
        return isIntegral(t) || isBoolean(t) || isFloat(t) || t == String.class || t.isEnum();
    }

    private static boolean isIntegral(Class<?> t) {
        return t == Integer.class || t == Integer.TYPE || t == Long.class || t == Long.TYPE || t == Short.class
                || t == Short.TYPE || t == BigInteger.class || t == Byte.class || t == Byte.TYPE;
    }

    private static boolean isBoolean(Class<?> t) {
        return t == Boolean.class || t == Boolean.TYPE;
    }

    private static boolean isFloat(Class<?> t) {
        return t == Double.class || t == Double.TYPE || t == Float.class || t == Float.TYPE || t == BigDecimal.class;
    }
}
