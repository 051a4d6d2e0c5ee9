package org.govind.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.govind.ingest.CsvRecords;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;

/**
 * Builds small landing folders for tests. Every value is synthetic (names like 样例甲乙, phones
 * 1380000xxxx, id numbers starting 000000): no real personal data in the repository.
 */
public final class LandingFixture {
    public static final String D1 = "370829";
    public static final String D2 = "370832";
    public final Path root;

    public LandingFixture(Path root) { this.root = root; }

    /** Defaults per entity: a valid row, to be overridden column by column. */
    public static Map<String, String> defaults(String entity) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (entity) {
            case "cases" -> { m.put("case_id", "C1"); m.put("district_code", D1); m.put("community_code", "370829001001");
                m.put("compound_id", "Q1"); m.put("source", "grid_patrol"); m.put("category", "parking");
                m.put("reported_at", "2026-03-01 09:00:00"); m.put("status", "received"); m.put("is_dispute", "false");
                m.put("reporter_name", "样例甲乙"); m.put("reporter_phone", "13800000001"); m.put("updated_at", "2026-03-01 09:00:00"); }
            case "visits" -> { m.put("visit_id", "V1"); m.put("district_code", D1); m.put("community_code", "370829001001");
                m.put("compound_id", "Q1"); m.put("household_id", "H1"); m.put("visitor_id", "M1"); m.put("visitor_role", "party_member");
                m.put("visited_at", "2026-03-01 10:00:00"); m.put("visit_type", "needs_survey"); m.put("key_group", "false");
                m.put("needs_recorded", "1"); }
            case "points" -> { m.put("entry_id", "P1"); m.put("district_code", D1); m.put("community_code", "370829001001");
                m.put("compound_id", "Q1"); m.put("holder_id", "M1"); m.put("holder_type", "party_member"); m.put("holder_name", "样例甲乙");
                m.put("scheme", "pioneer_index"); m.put("activity", "volunteer_service"); m.put("points", "5.00");
                m.put("occurred_at", "2026-03-01 11:00:00"); m.put("approver_id", "A1"); }
            case "members" -> { m.put("member_id", "M1"); m.put("district_code", D1); m.put("name", "样例甲乙");
                m.put("id_number", "000000199001010011"); m.put("branch_id", "B1"); m.put("community_code", "370829001001");
                m.put("compound_id", "Q1"); m.put("category", "retired"); m.put("relation_in_compound", "true"); m.put("status", "active"); }
            case "compounds" -> { m.put("compound_id", "Q1"); m.put("district_code", D1); m.put("street_code", "370829001");
                m.put("community_code", "370829001001"); m.put("name", "测试一号院"); m.put("households", "100");
                m.put("key_group_households", "10"); m.put("buildings", "4"); m.put("owners_committee", "true");
                m.put("owners_committee_size", "5"); m.put("branch_id", "B1"); m.put("station", "true"); }
            case "branches" -> { m.put("branch_id", "B1"); m.put("district_code", D1); m.put("name", "测试一号院党支部");
                m.put("type", "compound"); m.put("community_code", "370829001001"); m.put("compound_id", "Q1");
                m.put("established_on", "2020-07-01"); m.put("active", "true"); }
            case "property_companies" -> { m.put("company_id", "W1"); m.put("district_code", D1); m.put("name", "测试物业服务有限公司");
                m.put("has_party_org", "true"); m.put("credit_code", "91370829MA0000000X"); }
            default -> throw new IllegalArgumentException(entity);
        }
        return m;
    }

    /** One CSV record (RFC 4180) of the entity's columns in schema order, defaults overridden. */
    public static String row(String entity, String... kv) {
        Map<String, String> m = defaults(entity);
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        List<String> cells = new ArrayList<>();
        for (ColumnDef c : Schemas.get().landing(entity).columns()) cells.add(m.getOrDefault(c.name(), ""));
        return CsvRecords.join(cells);
    }

    public static String header(String entity, boolean chinese) {
        List<String> cells = new ArrayList<>();
        for (ColumnDef c : Schemas.get().landing(entity).columns()) cells.add(chinese ? c.alias() : c.name());
        return CsvRecords.join(cells);
    }

    /** Writes district/date/entity.csv: header + records, UTF-8. Returns the file. */
    public Path write(String district, String date, String entity, String... records) {
        return writeBytes(district, date, entity + ".csv", text(header(entity, false), records).getBytes(StandardCharsets.UTF_8));
    }

    public Path write(String district, String date, String file, Charset cs, boolean bom, boolean chineseHeader, String entity, String... records) {
        byte[] body = text(header(entity, chineseHeader), records).getBytes(cs);
        if (bom) {
            byte[] b = new byte[body.length + 3];
            b[0] = (byte) 0xEF; b[1] = (byte) 0xBB; b[2] = (byte) 0xBF;
            System.arraycopy(body, 0, b, 3, body.length);
            body = b;
        }
        return writeBytes(district, date, file, body);
    }

    public Path writeBytes(String district, String date, String file, byte[] bytes) {
        try {
            Path dir = root.resolve(district).resolve(date);
            Files.createDirectories(dir);
            return Files.write(dir.resolve(file), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String header, String... records) {
        StringBuilder b = new StringBuilder(header).append('\n');
        for (String r : records) b.append(r).append('\n');
        return b.toString();
    }
}
