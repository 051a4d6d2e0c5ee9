package org.govind.gold;

import org.govind.testing.SilverFixture;

/**
 * The hand-built month of the gold tests: March 2026 in two districts, every row written out
 * with the catalogue situation it exercises. The expected numbers are worked out in
 * {@link GoldIndicatorsTest} from these rows. D1 = 370829 (communities K1, K2), D2 = 370832 (K9).
 */
final class MarchFixture {
    static final String D1 = SilverFixture.D1, D2 = SilverFixture.D2;

    private MarchFixture() {}

    static SilverFixture march() {
        SilverFixture f = new SilverFixture();
        // ---- property companies, branches, compounds (state at T = 2026-03-31) ----
        f.company("company_id", "W1", "has_party_org", "true");
        f.company("company_id", "W2", "has_party_org", "false");
        f.company("company_id", "W3", "district_code", D2, "has_party_org", "true");
        f.branch("branch_id", "B1", "compound_id", "Q1", "active", "true");
        f.branch("branch_id", "B2", "compound_id", "Q2", "active", "true", "valid_from", "2026-03-15", "established_on", "2026-03-14");
        f.branch("branch_id", "B3", "compound_id", "Q3", "active", "false");
        f.compound("compound_id", "Q1", "community_code", "K1", "households", "100", "key_group_households", "10",
                "property_company_id", "W1", "owners_committee", "true", "owners_committee_size", "5", "branch_id", "B1");
        // Q2 gains a branch mid-month: the snapshot of 03-15 opened a version with branch B2
        f.compound("compound_id", "Q2", "community_code", "K1", "households", "50", "key_group_households", "0",
                "property_company_id", "", "owners_committee", "false", "owners_committee_size", "0", "branch_id", "",
                "valid_to", "2026-03-15", "is_current", "false");
        f.compound("compound_id", "Q2", "community_code", "K1", "households", "50", "key_group_households", "0",
                "property_company_id", "", "owners_committee", "false", "owners_committee_size", "0", "branch_id", "B2",
                "valid_from", "2026-03-15");
        f.compound("compound_id", "Q3", "community_code", "K2", "households", "200", "key_group_households", "20",
                "property_company_id", "W2", "owners_committee", "true", "owners_committee_size", "4", "branch_id", "B3");
        f.compound("compound_id", "Q5", "community_code", "K2", "households", "50", "key_group_households", "5",
                "property_company_id", "W1", "owners_committee", "true", "owners_committee_size", "3", "branch_id", "");
        // Q4 was deleted by the snapshot of 03-20: not registered at T
        f.compound("compound_id", "Q4", "community_code", "K2", "households", "30", "property_company_id", "W9",
                "valid_to", "2026-03-20", "is_current", "false");
        f.compound("compound_id", "R1", "district_code", D2, "community_code", "K9", "households", "80",
                "key_group_households", "0", "property_company_id", "W3", "owners_committee", "false",
                "owners_committee_size", "0", "branch_id", "");
        // R2: one household, two visited → coverage above 1 (bad data); its company W8 is not registered
        f.compound("compound_id", "R2", "district_code", D2, "community_code", "K9", "households", "1",
                "key_group_households", "0", "property_company_id", "W8", "owners_committee", "false",
                "owners_committee_size", "0", "branch_id", "");

        // ---- members ----
        f.member("member_id", "M1", "compound_id", "Q1", "category", "retired", "relation_in_compound", "true", "roles", "owners_committee");
        f.member("member_id", "M2", "compound_id", "Q1", "category", "in_service", "relation_in_compound", "false",
                "reported_at", "2026-03-31", "roles", "owners_committee;building_leader");
        f.member("member_id", "M3", "compound_id", "Q1", "category", "in_service", "relation_in_compound", "true", "reported_at", "2026-04-01");
        // M4 moved from Q3 to Q2 on 03-10
        f.member("member_id", "M4", "compound_id", "Q3", "category", "retired", "relation_in_compound", "true",
                "roles", "owners_committee", "valid_to", "2026-03-10", "is_current", "false");
        f.member("member_id", "M4", "compound_id", "Q2", "category", "retired", "relation_in_compound", "true",
                "roles", "owners_committee", "valid_from", "2026-03-10");
        // M5 transferred out on 03-05
        f.member("member_id", "M5", "compound_id", "Q3", "valid_to", "2026-03-05", "is_current", "false");
        f.member("member_id", "M5", "compound_id", "Q3", "status", "transferred_out", "valid_from", "2026-03-05");
        f.member("member_id", "M6", "compound_id", "Q3", "category", "direct", "relation_in_compound", "false", "roles", "owners_committee");
        f.member("member_id", "M7", "compound_id", "");              // lives in no compound
        f.member("member_id", "M8", "compound_id", "Q4");            // compound not registered at T

        // ---- visits ----
        f.visit("visit_id", "V1", "compound_id", "Q1", "household_id", "H1", "key_group", "true", "visited_at", "2026-03-05 10:00:00");
        f.visit("visit_id", "V2", "compound_id", "Q1", "household_id", "H1", "key_group", "false", "visited_at", "2026-03-20 10:00:00");
        f.visit("visit_id", "V3", "compound_id", "Q1", "household_id", "H2", "visited_at", "2026-03-21 10:00:00");
        // V4 names community K2, but Q2 is registered in K1: it rolls up through K1
        f.visit("visit_id", "V4", "compound_id", "Q2", "community_code", "K2", "household_id", "H3", "visited_at", "2026-03-22 10:00:00");
        f.visit("visit_id", "V5", "compound_id", "Q4", "household_id", "H4", "visited_at", "2026-03-10 10:00:00");
        f.visit("visit_id", "V6", "compound_id", "Q3", "household_id", "H5", "key_group", "true", "visited_at", "2026-02-28 10:00:00");
        f.visit("visit_id", "V7", "compound_id", "Q3", "household_id", "H6", "key_group", "true", "visited_at", "2026-03-31 23:30:00");
        f.visit("visit_id", "V8", "compound_id", "Q9", "household_id", "H9", "visited_at", "2026-03-10 10:00:00");
        f.visit("visit_id", "W-1", "district_code", D2, "community_code", "K9", "compound_id", "R2", "household_id", "H7", "visited_at", "2026-03-10 10:00:00");
        f.visit("visit_id", "W-2", "district_code", D2, "community_code", "K9", "compound_id", "R2", "household_id", "H8", "visited_at", "2026-03-11 10:00:00");

        // ---- points ----
        f.points("entry_id", "P01", "holder_id", "M1", "holder_name", "样*一", "community_code", "K1", "points", "10.00", "occurred_at", "2026-03-02 10:00:00");
        f.points("entry_id", "P02", "holder_id", "M1", "holder_name", "样*一", "community_code", "K1", "points", "5.00", "occurred_at", "2026-03-03 10:00:00");
        f.points("entry_id", "P03", "holder_id", "M1", "holder_name", "样*一", "community_code", "K1", "points", "-5.00", "occurred_at", "2026-03-04 10:00:00", "reversal_of", "P02");
        f.points("entry_id", "P04", "holder_id", "M1", "holder_name", "样*一", "community_code", "K1", "points", "-20.00", "activity", "redemption", "occurred_at", "2026-03-05 10:00:00");
        f.points("entry_id", "P05", "holder_id", "M2", "holder_name", "样*二", "community_code", "K1", "points", "8.00", "occurred_at", "2026-03-06 10:00:00");
        f.points("entry_id", "P06", "holder_id", "M2", "holder_name", "样*二", "community_code", "K2", "points", "2.00", "occurred_at", "2026-03-07 10:00:00");
        f.points("entry_id", "P07", "holder_id", "M3", "holder_name", "样*三", "community_code", "K1", "points", "-3.00", "activity", "deduction", "occurred_at", "2026-03-08 10:00:00");
        f.points("entry_id", "P08", "holder_id", "M3", "holder_name", "样*三", "community_code", "K1", "points", "3.00", "occurred_at", "2026-03-09 10:00:00");
        f.points("entry_id", "P09", "holder_id", "R1", "holder_name", "居*民", "holder_type", "resident", "community_code", "K1", "points", "10.00", "occurred_at", "2026-03-10 10:00:00");
        f.points("entry_id", "P10", "holder_id", "M6", "holder_name", "样*六", "community_code", "K2", "points", "4.00", "occurred_at", "2026-03-11 10:00:00");
        // M4: a February award reversed on 03-02 (the reversal counts for nothing in March)
        f.points("entry_id", "P11", "holder_id", "M4", "holder_name", "样*四", "community_code", "K1", "points", "7.00", "occurred_at", "2026-02-27 10:00:00");
        f.points("entry_id", "P12", "holder_id", "M4", "holder_name", "样*四", "community_code", "K1", "points", "-7.00", "occurred_at", "2026-03-02 10:00:00", "reversal_of", "P11");
        // M5: holder_type from the latest entry (same instant → highest entry_id P15)
        f.points("entry_id", "P13", "holder_id", "M5", "holder_name", "样*五", "community_code", "K1", "points", "1.00", "occurred_at", "2026-03-12 10:00:00");
        f.points("entry_id", "P14", "holder_id", "M5", "holder_name", "样*五", "holder_type", "volunteer", "community_code", "K1", "points", "1.00", "occurred_at", "2026-03-13 10:00:00");
        f.points("entry_id", "P15", "holder_id", "M5", "holder_name", "样*五", "holder_type", "red_neighbor_leader", "community_code", "K1", "points", "1.00", "occurred_at", "2026-03-13 10:00:00");

        // ---- cases (bronze.cases: every delivered version) ----
        c(f, "C1", "Q1", "K1", "2026-03-31 23:59:59", "", "", "received");          // last second of March
        c(f, "C2", "Q1", "K1", "2026-04-01 00:00:00", "", "", "received");          // first second of April
        c(f, "C3", "Q1", "K1", "2026-03-02 08:00:00", "2026-03-05 08:00:00", "2026-03-04 08:00:00", "revisited",
                "revisited_at", "2026-03-06 09:00:00", "satisfaction", "satisfied", "is_dispute", "true",
                "mediation_result", "success", "property_company_id", "W1");
        c(f, "C4", "Q1", "K1", "2026-03-10 10:00:00", "2026-03-12 10:00:00", "2026-03-13 10:00:00", "revisited",
                "revisited_at", "2026-03-14 09:00:00", "satisfaction", "dissatisfied", "property_company_id", "W7");
        c(f, "C5", "Q1", "K1", "2026-03-20 10:00:00", "2026-03-25 10:00:00", "", "in_progress");   // due in March, open at T
        c(f, "C6", "Q2", "K1", "2026-03-05 09:00:00", "2026-03-08 09:00:00", "2026-03-06 09:00:00", "revisited",
                "revisited_at", "2026-03-07 09:00:00", "satisfaction", "unreachable");
        c(f, "C7", "Q1", "K1", "2026-03-03 10:00:00", "2026-03-05 10:00:00", "2026-03-04 10:00:00", "invalid");
        c(f, "C8", "", "K1", "2026-03-15 12:00:00", "2026-03-16 12:00:00", "2026-03-16 11:00:00", "closed");   // no compound
        c(f, "C9", "Q3", "K2", "2026-02-20 10:00:00", "2026-03-01 00:00:00", "2026-02-28 10:00:00", "closed");
        c(f, "C10", "Q3", "K2", "2026-02-10 10:00:00", "2026-02-15 10:00:00", "", "dispatched");
        // C11: three versions; March's books (closing 04-03) judge the second: the third, marking it invalid,
        // was delivered on 04-04, after books close, and does not change March
        c(f, "C11", "Q3", "K2", "2026-03-08 10:00:00", "2026-03-10 10:00:00", "", "dispatched", "updated_at", "2026-03-08 11:00:00");
        c(f, "C11", "Q3", "K2", "2026-03-08 10:00:00", "2026-03-10 10:00:00", "2026-03-09 16:00:00", "closed", "updated_at", "2026-03-09 16:00:00");
        c(f, "C11", "Q3", "K2", "2026-03-08 10:00:00", "2026-03-10 10:00:00", "2026-03-09 16:00:00", "invalid",
                "updated_at", "2026-04-04 10:00:00", "_export_date", "2026-04-04");
        c(f, "C12", "Q1", "K1", "2026-03-11 10:00:00", "2026-03-20 10:00:00", "", "closed");   // closed status, no closed_at
        c(f, "C13", "Q2", "K1", "2026-03-01 10:00:00", "", "2026-03-02 10:00:00", "revisited",
                "revisited_at", "2026-03-03 09:00:00", "satisfaction", "satisfied", "is_dispute", "true", "mediation_result", "fail");
        c(f, "C14", "Q9", "K2", "2026-03-12 10:00:00", "", "", "received");            // compound not registered at T
        c(f, "E1", "R1", "K9", "2026-03-03 00:00:00", "2026-03-04 00:00:00", "2026-03-03 06:00:00", "closed", "district_code", D2);

        // ---- ingest audit for the quality checks ----
        for (int day = 1; day <= 31; day++) {
            String night = String.format("2026-03-%02d", day);
            for (String e : org.govind.schema.Schemas.ENTITIES) {
                // D1 silent on 03-10, 03-11, 03-12 (three nights: an error); 03-20 without points
                boolean silent = day >= 10 && day <= 12;
                if (!silent && !(day == 20 && e.equals("points"))) f.audit("district", D1, "export_date", night, "entity", e, "rows_read", "10", "rows_loaded", "10");
                String status = day == 3 && e.equals("visits") ? "rejected" : "loaded";
                String q = day == 2 && e.equals("cases") ? "4" : "0";
                f.audit("district", D2, "export_date", night, "entity", e, "rows_read", "100",
                        "rows_loaded", String.valueOf(100 - Integer.parseInt(q)), "rows_quarantined", q, "status", status,
                        "source_file", D2 + "/" + night + "/" + e + ".csv");
            }
        }
        return f;
    }

    /** A case version: updated_at defaults to the latest of its timestamps, as an export would carry it. */
    static void c(SilverFixture f, String id, String compound, String community, String reported, String due,
                  String closed, String status, String... more) {
        String updated = closed.isEmpty() ? reported : closed;
        String[] base = {"case_id", id, "compound_id", compound, "community_code", community, "reported_at", reported,
                "due_at", due, "closed_at", closed, "status", status, "updated_at", updated, "_export_date", updated.substring(0, 10)};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        f.cases(all);
    }
}
