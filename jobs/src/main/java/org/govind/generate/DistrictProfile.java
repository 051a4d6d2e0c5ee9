package org.govind.generate;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.govind.schema.ColumnDef;
import org.govind.schema.TableDef;

/** How one district writes its files: fixed per district, independent of the seed. */
final class DistrictProfile {
    enum Headers { ENGLISH, CHINESE, MIXED }

    enum Bools { TRUE_FALSE, SHI_FOU, ONE_ZERO }

    static final Charset GBK = Charset.forName("GBK");

    static final List<DistrictProfile> ALL = List.of(
            new DistrictProfile(0, "370829", "嘉祥县", StandardCharsets.UTF_8, false, false, Headers.CHINESE, true,
                    Bools.SHI_FOU, false, 0.0, "\n", false, true),
            new DistrictProfile(1, "370832", "梁山县", GBK, false, true, Headers.ENGLISH, true,
                    Bools.ONE_ZERO, false, 0.0, "\r\n", false, true),
            new DistrictProfile(2, "140921", "定襄县", GBK, false, false, Headers.ENGLISH, false,
                    Bools.TRUE_FALSE, false, 0.0, "\n", true, true),
            new DistrictProfile(3, "350505", "泉港区", StandardCharsets.UTF_8, true, false, Headers.ENGLISH, false,
                    Bools.TRUE_FALSE, true, 0.15, "\n", false, true),
            new DistrictProfile(4, "420103", "江汉区", StandardCharsets.UTF_8, false, false, Headers.MIXED, true,
                    Bools.SHI_FOU, false, 0.0, "\n", false, true),
            new DistrictProfile(5, "440881", "廉江市", StandardCharsets.UTF_8, false, false, Headers.CHINESE, false,
                    Bools.ONE_ZERO, false, 0.0, "\n", false, false));

    /** Most districts a generated province has: the six above and 94 derived from them ({@link #of}). */
    static final int MAX = 100;
    private static final String SYLLABLE_1 = "东西南北中新安平和兴", SYLLABLE_2 = "阳山河城宁丰源泉林川";

    /**
     * District i of a generated world: one of the six contract districts, or (i ≥ 6, the province
     * preset) a derived one writing its files the way district {@code i % 6} does, under a code of the
     * fictitious cities 3711–3714 ({@code 37 11..14 21..50}: six digits as the contract requires, never
     * one of the six) and a name made of two syllables, both fixed by i alone.
     */
    static DistrictProfile of(int i) {
        if (i < 0 || i >= MAX) throw new IllegalArgumentException("district index " + i + " outside 0.." + (MAX - 1));
        if (i < ALL.size()) return ALL.get(i);
        DistrictProfile b = ALL.get(i % ALL.size());
        int k = i - ALL.size();
        String code = String.format(java.util.Locale.ROOT, "37%02d%02d", 11 + k / 30, 21 + k % 30);
        String name = "" + SYLLABLE_1.charAt(k / 10 % 10) + SYLLABLE_2.charAt(k % 10) + (k < 50 ? "县" : "区");
        return new DistrictProfile(i, code, name, b.charset, b.bom, b.declareEncoding, b.headers, b.labels, b.bools, b.iso,
                b.offsetShare, b.eol, b.shuffle, b.manifest);
    }

    final int index;
    final String code;
    final String name;
    final Charset charset;
    final boolean bom;
    /** manifest carries "encoding":"GBK" */
    final boolean declareEncoding;
    final Headers headers;
    /** enum cells carry the Chinese label where one exists and labels are accepted */
    final boolean labels;
    final Bools bools;
    /** timestamps as ISO-8601 with 'T' */
    final boolean iso;
    /** share of rows whose timestamps carry "+08:00" */
    final double offsetShare;
    final String eol;
    /** column order shuffled (deterministically per entity) */
    final boolean shuffle;
    final boolean manifest;
    private final ConcurrentHashMap<String, int[]> orders = new ConcurrentHashMap<>();

    private DistrictProfile(int index, String code, String name, Charset charset, boolean bom,
                            boolean declareEncoding, Headers headers, boolean labels, Bools bools, boolean iso,
                            double offsetShare, String eol, boolean shuffle, boolean manifest) {
        this.index = index;
        this.code = code;
        this.name = name;
        this.charset = charset;
        this.bom = bom;
        this.declareEncoding = declareEncoding;
        this.headers = headers;
        this.labels = labels;
        this.bools = bools;
        this.iso = iso;
        this.offsetShare = offsetShare;
        this.eol = eol;
        this.shuffle = shuffle;
        this.manifest = manifest;
    }

    boolean gbk() {
        return charset.equals(GBK);
    }

    /** Bytes invalid in this district's encoding (never ',', '"', CR or LF). */
    byte[] badBytes() {
        return gbk() ? new byte[] {(byte) 0x80, (byte) 0xFF} : new byte[] {(byte) 0xFF, (byte) 0xFE};
    }

    /** Output position → canonical column index. */
    int[] order(String entity, int columns) {
        return orders.computeIfAbsent(entity + "/" + columns, k -> {
            int[] o = new int[columns];
            for (int i = 0; i < columns; i++) o[i] = i;
            if (shuffle) {
                SplittableRandom r = new SplittableRandom(Rng.hash("column-order:" + code + ":" + entity));
                for (int i = columns - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    int t = o[i];
                    o[i] = o[j];
                    o[j] = t;
                }
            }
            return o;
        });
    }

    /** Header cells in canonical column order. */
    String[] header(TableDef t) {
        String[] h = new String[t.columns().size()];
        long eh = Rng.hash(t.name()) & 0xff;
        for (int i = 0; i < h.length; i++) {
            ColumnDef c = t.columns().get(i);
            String alias = c.alias() == null ? c.name() : c.alias();
            h[i] = switch (headers) {
                case ENGLISH -> c.name();
                case CHINESE -> alias;
                case MIXED -> switch ((int) ((i * 7 + eh) % 4)) {
                    case 0 -> alias;
                    case 1 -> " " + titleCase(c.name()) + " ";
                    case 2 -> c.name().toUpperCase(Locale.ROOT);
                    default -> c.name();
                };
            };
        }
        return h;
    }

    static String titleCase(String snake) {
        StringBuilder b = new StringBuilder();
        for (String part : snake.split("_")) {
            if (b.length() > 0) b.append('_');
            if (part.equals("id")) b.append("ID");
            else if (!part.isEmpty()) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    /** Formats one row (canonical order, typed values) into cells. */
    String[] format(TableDef t, Object[] v, boolean offset) {
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            Object x = v[i];
            if (x == null) {
                out[i] = "";
                continue;
            }
            ColumnDef c = t.columns().get(i);
            out[i] = switch (c.type()) {
                case ENUM -> enumCell(c, (String) x);
                case BOOLEAN -> bool((Boolean) x);
                case TIMESTAMP -> ts((LocalDateTime) x, offset);
                case DATE -> ((LocalDate) x).toString();
                case DECIMAL -> x instanceof java.math.BigDecimal d ? d.toPlainString() : x.toString();
                default -> x.toString();
            };
        }
        return out;
    }

    String enumCell(ColumnDef c, String code) {
        if (labels && c.labelsAccepted()) {
            String label = c.values().get(code);
            if (label != null) return label;
        }
        return code;
    }

    String bool(boolean b) {
        return switch (bools) {
            case TRUE_FALSE -> b ? "true" : "false";
            case SHI_FOU -> b ? "是" : "否";
            case ONE_ZERO -> b ? "1" : "0";
        };
    }

    String ts(LocalDateTime t, boolean offset) {
        StringBuilder b = new StringBuilder(25);
        int y = t.getYear();
        b.append(y);
        pad2(b.append('-'), t.getMonthValue());
        pad2(b.append('-'), t.getDayOfMonth());
        b.append(iso ? 'T' : ' ');
        pad2(b, t.getHour());
        pad2(b.append(':'), t.getMinute());
        pad2(b.append(':'), t.getSecond());
        if (offset && iso) b.append("+08:00");
        return b.toString();
    }

    private static void pad2(StringBuilder b, int v) {
        if (v < 10) b.append('0');
        b.append(v);
    }
}
