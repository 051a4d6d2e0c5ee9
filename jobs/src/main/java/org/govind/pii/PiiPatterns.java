package org.govind.pii;

import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.govind.schema.Pii;

/**
 * The shapes personal data takes in real exports, and their masks. Pure functions (no key): the
 * keyed hash of an id number found in text is supplied by the caller ({@link PiiProtector#maskText}).
 *
 * <ul>
 *   <li>Mobile phones, with or without {@code +86}, {@code 0086} or {@code 86}, dashes or spaces
 *       ({@code 138-1234-5678}, {@code 138 1234 5678}): first 3 and last 4 digits of the national
 *       number, {@code 138****5678}, whatever the prefix and separators.</li>
 *   <li>Landlines with an area code ({@code 0531-88886666}, {@code (010) 6552 1234},
 *       {@code +86 531 8888 6666}): the area code and the last 2 digits, {@code 0531-******66}.
 *       The area code is 3 digits for 010 and 02x, 4 digits otherwise (China's numbering plan), so
 *       the mask is the same whatever separators the export used.</li>
 *   <li>Id numbers of 18 (last may be X/x) or 15 digits: replaced whole by the caller's hash.</li>
 *   <li>Names: the surname (one character, or two for a compound surname such as 欧阳) and the last
 *       character of the given name: 张*明, 张*, 欧阳*明, 欧阳*.</li>
 * </ul>
 * A shape is matched only when not glued to other digits (a longer number is not a phone), but
 * it may touch letters ({@code Tel13812345678}); keyed hashes (lowercase hex) are left alone.
 * False positives (a business code shaped like a phone) are preferred to leaks.
 */
public final class PiiPatterns {
    private PiiPatterns() {}

    /** Compound (two-character) surnames, simplified and traditional forms. */
    static final Set<String> COMPOUND_SURNAMES = Set.copyOf(java.util.List.of(
            "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯",
            "端木", "独孤", "南宫", "西门", "万俟", "闻人", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠",
            "轩辕", "钟离", "呼延", "赫连", "拓跋", "百里", "东郭", "公羊", "左丘", "司空", "司寇", "第五", "梁丘", "乐正",
            "壤驷", "公良", "谷梁", "段干", "亓官", "仲孙", "巫马", "公西", "漆雕", "羊舌", "微生", "东门", "鲜于", "闾丘",
            "子车", "颛孙", "公伯", "南门", "夹谷", "宰父", "梁丘", "即墨", "达奚", "褚师", "公户", "第一",
            "歐陽", "司馬", "諸葛", "東方", "長孫", "尉遲", "公孫", "軒轅", "鍾離", "鮮于", "閭丘", "萬俟", "聞人", "獨孤",
            "南宮", "東郭", "濮陽"));

    private static final String B = "(?<!\\d)";                            // not glued to a digit before
    private static final String E = "(?!\\d)";                             // … nor after
    private static final String SEP = "[ \\u00A0\\u3000\\-\\u2010-\\u2013\\uFF0D]";  // one space or dash
    private static final String INTL = "[(（]?(?:\\+|00)86[)）]?" + SEP + "?";
    private static final String MOBILE = "(?:" + INTL + "|86" + SEP + "?)?1[3-9]\\d(?:" + SEP + "?\\d){8}";
    private static final String LOCAL = "[2-9]\\d{2,3}" + SEP + "?\\d{4}";
    private static final String LANDLINE = "(?:(?:[(（]0[1-9]\\d{1,2}[)）]|0[1-9]\\d{1,2})" + SEP + "?" + LOCAL
            + "|" + INTL + "(?:[(（]0?[1-9]\\d{1,2}[)）]|0?[1-9]\\d{1,2})" + SEP + "?" + LOCAL + ")";

    /** Every shape, leftmost first; at one position id18, then mobile, landline, id15. */
    static final Pattern ANY = Pattern.compile(B + "(?:(?<id18>\\d{17}[\\dXx])|(?<mobile>" + MOBILE + ")|(?<landline>" + LANDLINE
            + ")|(?<id15>\\d{15}))" + E);
    private static final Pattern PHONE = Pattern.compile(B + "(?:(?<mobile>" + MOBILE + ")|(?<landline>" + LANDLINE + "))" + E);
    /** A keyed hash (hex with at least one letter, 16 characters or more): never a phone or id, left alone. */
    private static final Pattern HEX = Pattern.compile("(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])[0-9a-f]{16,}(?![0-9A-Za-z])");
    private static final Pattern DIGIT_RUN = Pattern.compile("\\d{5,}");

    /** 张三明 → 张*明; 王芳 → 王*; 欧阳建华 → 欧阳*华; 欧阳明 → 欧阳*; a single character → *. */
    public static String maskName(String name) {
        String n = name.strip();
        int len = n.codePointCount(0, n.length());
        if (len == 0) return n;
        if (len == 1) return "*";
        String head = new String(Character.toChars(n.codePointAt(0)));
        if (len == 2) return head + "*";   // 欧阳 alone could be 欧 + 阳: keep one character only
        String tail = new String(Character.toChars(n.codePointBefore(n.length())));
        if (COMPOUND_SURNAMES.contains(n.substring(0, n.offsetByCodePoints(0, 2)))) {
            String surname = n.substring(0, n.offsetByCodePoints(0, 2));
            return len == 3 ? surname + "*" : surname + "*" + tail;
        }
        return head + "*" + tail;
    }

    /**
     * A phone column's value: each mobile or landline in it masked (see the class comment), any other
     * run of 5 or more digits starred but its last 2; a value with no phone shape keeps only its last
     * 2 digits (fully starred under 7 digits).
     */
    public static String maskPhone(String phone) {
        String s = phone.strip();
        Matcher m = PHONE.matcher(s);
        StringBuilder b = new StringBuilder();
        boolean found = false;
        while (m.find()) {
            found = true;
            m.appendReplacement(b, Matcher.quoteReplacement(m.group("mobile") != null ? mobile(m.group()) : landline(m.group())));
        }
        if (found) {
            m.appendTail(b);
            return starRuns(b.toString());
        }
        String digits = s.replaceAll("[^0-9]", "");
        if (digits.length() < 7) return "*".repeat(Math.max(1, digits.length()));
        return "*".repeat(digits.length() - 2) + digits.substring(digits.length() - 2);
    }

    /**
     * Every phone and id number in free text masked; {@code idMask} replaces an id number. Keyed
     * hashes (long lowercase hex) are skipped, so masking is idempotent and never breaks a hash.
     */
    public static String maskText(String text, UnaryOperator<String> idMask) {
        if (text == null || text.isEmpty() || !ANY.matcher(text).find()) return text;
        Matcher hx = HEX.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (hx.find()) {
            out.append(maskSegment(text.substring(last, hx.start()), idMask)).append(hx.group());
            last = hx.end();
        }
        return out.append(maskSegment(text.substring(last), idMask)).toString();
    }

    private static String maskSegment(String text, UnaryOperator<String> idMask) {
        Matcher m = ANY.matcher(text);
        if (!m.find()) return text;
        StringBuilder b = new StringBuilder();
        do {
            String g = m.group();
            String r = m.group("mobile") != null ? mobile(g) : m.group("landline") != null ? landline(g) : idMask.apply(g);
            m.appendReplacement(b, Matcher.quoteReplacement(r));
        } while (m.find());
        m.appendTail(b);
        return b.toString();
    }

    /** Whether a text holds anything shaped like a phone or id number. */
    public static boolean hasPattern(String text) {
        return text != null && ANY.matcher(text).find();
    }

    /**
     * The personal-data class of a column the schema does not know, from its header: an id column
     * (身份证, 证件号, id_number …) is hashed, a phone column (电话, 手机, 联系方式, phone, mobile, tel …)
     * phone-masked, a name column (姓名, 名字, 联系人, name, contact …) name-masked.
     */
    public static Pii classOfHeader(String header) {
        String h = header.strip().replace("\uFEFF", "").toLowerCase(Locale.ROOT);
        if (h.isEmpty()) return Pii.NONE;
        if (containsAny(h, "身份证", "证件号", "证件号码", "公民身份", "id_number", "idnumber", "id_card", "idcard", "id_no", "idno", "identity")) {
            return Pii.HASH;
        }
        if (containsAny(h, "电话", "手机", "联系方式", "联系号码", "phone", "mobile", "telephone") || h.matches("(.*[^a-z])?tel([^a-z].*)?")) {
            return Pii.MASK_PHONE;
        }
        if (containsAny(h, "姓名", "名字", "联系人", "户主", "负责人", "申请人", "当事人", "责任人", "经办人", "name", "contact")) {
            return Pii.MASK_NAME;
        }
        return Pii.NONE;
    }

    /** 138****5678 from a mobile in any of its written forms. */
    static String mobile(String text) {
        String d = text.replaceAll("[^0-9]", "");
        String national = d.substring(d.length() - 11);
        return national.substring(0, 3) + "****" + national.substring(7);
    }

    /** 0531-******66 from a landline in any of its written forms. */
    static String landline(String text) {
        String d = text.replaceAll("[^0-9]", "");
        if (d.startsWith("0086")) d = d.substring(4);
        else if (text.contains("+")) d = d.substring(2);
        if (!d.startsWith("0")) d = "0" + d;
        int area = d.startsWith("010") || d.startsWith("02") ? 3 : 4;
        String local = d.substring(area);
        return d.substring(0, area) + "-" + "*".repeat(local.length() - 2) + local.substring(local.length() - 2);
    }

    private static String starRuns(String s) {
        Matcher m = DIGIT_RUN.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, "*".repeat(m.group().length() - 2) + m.group().substring(m.group().length() - 2));
        m.appendTail(b);
        return b.toString();
    }

    private static boolean containsAny(String h, String... words) {
        for (String w : words) if (h.contains(w)) return true;
        return false;
    }
}
