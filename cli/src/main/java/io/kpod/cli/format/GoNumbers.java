package io.kpod.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Go's strconv float formatting ('e', 'f', 'g', shortest or with a precision), which fmt and encoding/json build on. */
final class GoNumbers {
    private GoNumbers() {
    }

    /** Decimal digits d1d2…dn with the decimal point after {@code point} digits: value = 0.d1…dn × 10^point. */
    private record Digits(String digits, int point) {
    }

    /** The shortest digits that read back as {@code v}, as strconv does with precision -1. */
    private static Digits shortest(double v) {
        BigDecimal exact = new BigDecimal(Math.abs(v));
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == Math.abs(v)) {
                return digitsOf(r);
            }
        }
        return digitsOf(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
    }

    private static Digits rounded(double v, int significant) {
        return digitsOf(new BigDecimal(Math.abs(v)).round(new MathContext(significant, RoundingMode.HALF_EVEN)));
    }

    private static Digits digitsOf(BigDecimal r) {
        if (r.signum() == 0) {
            return new Digits("0", 1);
        }
        BigDecimal t = r.stripTrailingZeros();
        String unscaled = t.unscaledValue().toString();
        int point = unscaled.length() - t.scale();
        return new Digits(unscaled, point);
    }

    /** Formats like strconv.FormatFloat(v, fmt, prec, 64); prec -1 means the shortest exact representation. */
    static String format(double v, char fmt, int prec) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : "";
        boolean shortest = prec < 0;
        switch (fmt) {
            case 'e', 'E' -> {
                Digits d = shortest ? shortest(v) : rounded(v, prec + 1);
                int p = shortest ? d.digits().length() - 1 : prec;
                return sign + expForm(d, p, fmt);
            }
            case 'f' -> {
                if (shortest) {
                    Digits d = shortest(v);
                    return sign + fixedForm(d, Math.max(d.digits().length() - d.point(), 0));
                }
                BigDecimal r = new BigDecimal(Math.abs(v)).setScale(prec, RoundingMode.HALF_EVEN);
                return sign + r.toPlainString();
            }
            default -> {
                int eprec = prec;
                if (eprec == 0) {
                    eprec = 1;
                }
                Digits d = shortest ? shortest(v) : rounded(v, eprec);
                int nd = d.digits().length();
                if (shortest) {
                    eprec = 6;
                } else if (eprec > nd && nd >= d.point()) {
                    eprec = nd;
                }
                int exp = d.point() - 1;
                if (d.digits().equals("0")) {
                    exp = 0;
                }
                if (exp < -4 || exp >= eprec) {
                    return sign + expForm(d, nd - 1, fmt == 'G' ? 'E' : 'e');
                }
                return sign + fixedForm(d, Math.max(nd - d.point(), 0));
            }
        }
    }

    private static String expForm(Digits d, int fracDigits, char e) {
        String ds = d.digits();
        StringBuilder sb = new StringBuilder();
        sb.append(ds.charAt(0));
        if (fracDigits > 0) {
            sb.append('.');
            for (int i = 1; i <= fracDigits; i++) {
                sb.append(i < ds.length() ? ds.charAt(i) : '0');
            }
        }
        int exp = ds.equals("0") ? 0 : d.point() - 1;
        sb.append(e).append(exp < 0 ? '-' : '+');
        int abs = Math.abs(exp);
        if (abs < 10) {
            sb.append('0');
        }
        return sb.append(abs).toString();
    }

    private static String fixedForm(Digits d, int fracDigits) {
        String ds = d.digits();
        StringBuilder sb = new StringBuilder();
        if (d.point() <= 0) {
            sb.append('0');
        } else {
            for (int i = 0; i < d.point(); i++) {
                sb.append(i < ds.length() ? ds.charAt(i) : '0');
            }
        }
        if (fracDigits > 0) {
            sb.append('.');
            for (int i = 0; i < fracDigits; i++) {
                int idx = d.point() + i;
                sb.append(idx >= 0 && idx < ds.length() ? ds.charAt(idx) : '0');
            }
        }
        return sb.toString();
    }

    /** encoding/json's float64 form: 'f' in [1e-6, 1e21), else 'e' with a minimal exponent. */
    static String json(double v) {
        double abs = Math.abs(v);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String s = format(v, 'e', -1);
            // Go trims "e-07" to "e-7" for JSON
            int n = s.length();
            if (n >= 4 && s.charAt(n - 4) == 'e' && s.charAt(n - 3) == '-' && s.charAt(n - 2) == '0') {
                s = s.substring(0, n - 2) + s.charAt(n - 1);
            }
            return s;
        }
        return format(v, 'f', -1);
    }
}
