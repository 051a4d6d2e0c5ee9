package org.govind.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.govind.generate.World.Branch;
import org.govind.generate.World.Case;
import org.govind.generate.World.Community;
import org.govind.generate.World.Company;
import org.govind.generate.World.Compound;
import org.govind.generate.World.Member;
import org.govind.schema.Schemas;

/** One district: its evolving state and its nightly export folder. */
final class DistrictSim {
    private static final String[] CATEGORIES = {
        "property_service", "parking", "sanitation", "neighbor_dispute", "safety_hazard", "elevator",
        "facility_repair", "heating", "other"};
    private static final double[] CATEGORY_W = {20, 12, 15, 10, 8, 5, 15, 5, 10};
    private static final String[] SOURCES = {
        "grid_patrol", "resident_report", "hotline_12345", "mini_program", "secretary_direct", "door_visit"};
    private static final double[] SOURCE_W = {25, 20, 25, 15, 5, 10};
    private static final String[] MEMBER_CATEGORIES = {"in_service", "retired", "direct", "mobile"};
    private static final double[] MEMBER_CATEGORY_W = {35, 30, 25, 10};
    private static final double[] HOUR_W = {
        0, 0, 0, 0, 0, 0, 0.3, 1, 3, 5, 5, 4, 2, 2, 4, 5, 5, 4, 3, 3, 2, 1.5, 1, 0.3};

    /** Night results reported back to the generator. */
    record Night(boolean missed, int files, long rows) {}

    private final long seed;
    final DistrictProfile p;
    private final String code;
    private final Path out;
    private final Map<String, Tbl> tbl;
    final BadRows bad;
    private Sizing size;

    /** case category weights; no central heating south of the Huai river */
    private final double[] categoryWeights;
    private final List<Community> communities = new ArrayList<>();
    private final Map<String, List<String>> cadres = new HashMap<>();
    private final List<Compound> compounds = new ArrayList<>();
    private final Map<String, Compound> compoundById = new HashMap<>();
    private final List<Company> companies = new ArrayList<>();
    private final Map<Company, Community> companyHome = new HashMap<>();
    private final List<Branch> branches = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();
    private final Set<String> idNumbers = new HashSet<>();
    private int nextBranch = 1;
    private int nextMember = 1;

    private final List<Case> openCases = new ArrayList<>();
    private final ArrayDeque<Case> recentlyClosed = new ArrayDeque<>();
    private final List<Case> todaysDoorCases = new ArrayList<>();
    private final List<Object[]> reversalPool = new ArrayList<>();
    private final List<Object[]> pendingVisits = new ArrayList<>();
    private final List<Object[]> pendingPoints = new ArrayList<>();
    private boolean lastMissed;
    /** The night being written. */
    private LocalDate exportNight;

    private double[] compoundCum;
    private final Map<String, List<Member>> activeByCommunity = new HashMap<>();
    private final Map<String, List<Member>> microGridByCommunity = new HashMap<>();
    private final List<Member> activeMembers = new ArrayList<>();
    private final List<Member> redNeighbor = new ArrayList<>();

    DistrictSim(long seed, DistrictProfile p, Path out, Map<String, Tbl> tbl, double badRows, Scale scale,
                int districts, LocalDate start) {
        this.seed = seed;
        this.p = p;
        this.code = p.code;
        this.out = out;
        this.tbl = tbl;
        String wrong = DistrictProfile.ALL.get((p.index + 1) % DistrictProfile.ALL.size()).code;
        this.bad = new BadRows(badRows, wrong);
        this.categoryWeights = CATEGORY_W.clone();
        if (code.startsWith("35") || code.startsWith("42") || code.startsWith("44")) categoryWeights[7] = 0;
        init(scale, districts, start);
    }

    // ------------------------------------------------------------------ initial state

    private void init(Scale scale, int districts, LocalDate start) {
        size = Sizing.of(scale, districts, Rng.of(seed, code, start, "size"));
        SplittableRandom r = Rng.of(seed, code, start, "init");
        Set<String> used = new HashSet<>();

        int[] perStreet = distribute(size.communities(), size.streets(), r);
        for (int s = 0; s < size.streets(); s++) {
            String street = code + pad(s + 1, 3);
            List<String> cs = new ArrayList<>();
            int nc = 2 + r.nextInt(3);
            for (int j = 1; j <= nc; j++) cs.add("GB" + street + pad(j, 2));
            cadres.put(street, cs);
            for (int c = 0; c < perStreet[s]; c++) {
                String name = unique(used, () -> Names.communityName(r, false), () -> Names.communityName(r, true), r);
                Community cm = new Community(street + pad(c + 1, 3), street, name);
                int gw = 1 + r.nextInt(3);
                for (int j = 1; j <= gw; j++) cm.gridWorkers.add("WG" + cm.code + pad(j, 2));
                communities.add(cm);
            }
        }

        Set<String> usedStems = new HashSet<>();
        int nCo = size.companies();
        for (int i = 0; i < nCo; i++) {
            String stem = Names.companyStem(r);
            for (int a = 0; a < 30 && usedStems.contains(stem); a++) stem = Names.companyStem(r);
            if (usedStems.contains(stem)) stem = stem + Names.numeral(1 + i % 10);
            usedStems.add(stem);
            String name = Names.companyName(stem, r);
            double u = r.nextDouble();
            if (i == 1 || u < 0.05) {
                name = name + "," + Rng.pick(r, Names.COMPOUND_STEMS) + "项目部";
            } else if (i == 2 || u < 0.08) {
                String inner = Rng.pick(r, Names.COMPANY_STEMS);
                name = stem + "\"" + inner + "\"" + Rng.pick(r, Names.COMPANY_SUFFIXES);
            }
            boolean badCo = i == nCo - 1 || r.nextDouble() < 0.12;
            Company co = new Company("WY" + code + pad(i + 1, 3), stem, name, Names.creditCode(r, code), badCo);
            co.partyOrg = r.nextDouble() < 0.6;
            companies.add(co);
        }
        double[] coCum = new double[nCo];
        for (int i = 0; i < nCo; i++) coCum[i] = (i == 0 ? 0 : coCum[i - 1]) + 1.0 / Math.pow(i + 1, 0.7);

        Set<String> usedCompound = new HashSet<>();
        for (int i = 0; i < size.compounds(); i++) {
            Community cm = i < communities.size() ? communities.get(i) : Rng.pick(r, communities);
            String name = unique(usedCompound, () -> Names.compoundName(r),
                    () -> cm.name.substring(0, 2) + Names.compoundName(r), r);
            Compound c = new Compound("XQ" + code + pad(i + 1, 4), cm, name);
            c.households = (int) Math.max(80, Math.min(2000, Math.round(270 * Math.exp(0.7 * Rng.normal(r)))));
            c.keyGroup = (int) Math.round(c.households * (0.05 + 0.10 * r.nextDouble()));
            c.buildings = Math.max(1, c.households / (20 + r.nextInt(60)));
            if (r.nextDouble() < 0.9) {
                c.company = companies.get(Rng.cumulative(r, coCum));
                companyHome.putIfAbsent(c.company, cm);
            }
            c.ownersCommittee = r.nextDouble() < 0.6;
            c.ownersCommitteeSize = c.ownersCommittee ? 5 + r.nextInt(5) : 0;
            c.station = r.nextDouble() < 0.5;
            cm.compounds.add(c);
            compounds.add(c);
            compoundById.put(c.id, c);
        }
        for (Company co : companies) companyHome.computeIfAbsent(co, k -> Rng.pick(r, communities));

        LocalDate base = start.minusDays(1);
        for (Community cm : communities) {
            cm.committee = newBranch(cm.name + "党委", "community", cm.code, null,
                    base.minusDays(3650 + r.nextInt(4000)));
            int grids = 1 + r.nextInt(3);
            for (int g = 1; g <= grids; g++) {
                String name = cm.name + "第" + Names.numeral(g) + "网格党支部";
                if (g == 1 && cm == communities.get(0) && p.index % 2 == 0) name = name + "\n(联合支部)";
                else if (r.nextDouble() < 0.02) name = name + ",楼栋党小组";
                cm.grids.add(newBranch(name, "grid", cm.code, null, base.minusDays(700 + r.nextInt(2500))));
            }
        }
        for (Compound c : compounds) {
            if (r.nextDouble() < 0.85) {
                c.branch = newBranch(compoundBranchName(c), "compound", c.comm.code, c.id,
                        base.minusDays(60 + r.nextInt(3000)));
            }
        }
        for (Company co : companies) {
            if (co.partyOrg) {
                co.branch = newBranch(co.stem + "物业党支部", "property", companyHome.get(co).code, null,
                        base.minusDays(100 + r.nextInt(2500)));
            }
        }
        Community previous = null;
        for (Community cm : communities) {
            if (previous == null || !previous.street.equals(cm.street)) {
                String kind = Rng.pick(r, Names.FUNCTIONAL);
                String name = r.nextDouble() < 0.3 || cm == communities.get(0)
                        ? cm.name + "\"暖心物业\"联合党支部" : cm.name + kind;
                cm.functional = newBranch(name, "functional", cm.code, null, base.minusDays(400 + r.nextInt(4000)));
            }
            previous = cm;
        }
        for (Branch b : branches) {
            if ((b.type.equals("grid") || b.type.equals("functional")) && r.nextDouble() < 0.05) b.active = false;
        }

        rebuildIndexes();
        for (int i = 0; i < size.members(); i++) {
            Member m = newMember(r, base);
            double u = r.nextDouble();
            if (u < 0.015) {
                m.status = "transferred_out";
                m.statusSince = base.minusDays(r.nextInt(10));
            } else if (u < 0.025) {
                m.status = "deceased";
                m.statusSince = base.minusDays(r.nextInt(400));
            }
            members.add(m);
        }
        rebuildIndexes();
    }

    private static int[] distribute(int items, int bins, SplittableRandom r) {
        int[] n = new int[bins];
        for (int i = 0; i < items; i++) n[i < bins ? i : r.nextInt(bins)]++;
        return n;
    }

    private static String unique(Set<String> used, java.util.function.Supplier<String> gen,
                                 java.util.function.Supplier<String> fallback, SplittableRandom r) {
        for (int a = 0; a < 30; a++) {
            String s = gen.get();
            if (used.add(s)) return s;
        }
        for (int a = 0; a < 30; a++) {
            String s = fallback.get();
            if (used.add(s)) return s;
        }
        for (int n = 2; ; n++) {
            String s = gen.get() + Names.numeral(n % 10 + 1) + "区";
            if (used.add(s)) return s;
        }
    }

    private static String compoundBranchName(Compound c) {
        return c.name + (c.name.endsWith("小区") || c.name.endsWith("院") || c.name.endsWith("区") ? "" : "小区")
                + "党支部";
    }

    private Branch newBranch(String name, String type, String community, String compound, LocalDate established) {
        Branch b = new Branch("ZB" + code + pad(nextBranch++, 5), name, type, community, compound, established);
        branches.add(b);
        return b;
    }

    private Member newMember(SplittableRandom r, LocalDate asOf) {
        String category = MEMBER_CATEGORIES[Rng.weighted(r, MEMBER_CATEGORY_W)];
        int age = switch (category) {
            case "retired" -> 58 + r.nextInt(31);
            case "in_service" -> 23 + r.nextInt(37);
            case "mobile" -> 20 + r.nextInt(31);
            default -> 25 + r.nextInt(61);
        };
        LocalDate birth = asOf.minusYears(age).minusDays(r.nextInt(365));
        String idNumber;
        do {
            idNumber = Names.idNumber(r, code, birth, r.nextDouble() < 0.6);
        } while (!idNumbers.add(idNumber));
        Member m = new Member("DY" + code + pad(nextMember++, 6), Names.person(r), idNumber, category);
        if (r.nextDouble() < 0.9) {
            m.compound = compoundByWeight(r);
            m.comm = m.compound.comm;
        } else {
            m.comm = Rng.pick(r, communities);
        }
        if (category.equals("in_service") && r.nextDouble() < 0.85) {
            m.reportedAt = asOf.minusDays(1 + r.nextInt(5 * 365));
        }
        double pRel = switch (category) {
            case "retired", "direct" -> 0.6;
            case "in_service" -> 0.15;
            default -> 0.05;
        };
        m.relationInCompound = m.compound != null && m.compound.branch != null && r.nextDouble() < pRel;
        m.branch = m.relationInCompound ? m.compound.branch.id : otherBranch(m, r);
        StringBuilder roles = new StringBuilder();
        role(roles, r, 0.15, "building_leader");
        role(roles, r, 0.10, "central_household");
        role(roles, r, 0.12, "red_neighbor_leader");
        role(roles, r, 0.15, "micro_grid");
        if (m.compound != null && m.compound.ownersCommittee) role(roles, r, 0.08, "owners_committee");
        m.roles = roles.length() == 0 ? null : roles.toString();
        return m;
    }

    private static void role(StringBuilder b, SplittableRandom r, double pr, String role) {
        if (r.nextDouble() < pr) {
            if (b.length() > 0) b.append(';');
            b.append(role);
        }
    }

    /** The branch of a member whose relation is not in the residence compound (null: employer outside the district). */
    private String otherBranch(Member m, SplittableRandom r) {
        Community cm = m.comm;
        Branch grid = cm.grids.isEmpty() ? cm.committee : Rng.pick(r, cm.grids);
        Branch functional = cm.functional != null ? cm.functional : cm.committee;
        double u = r.nextDouble();
        return switch (m.category) {
            case "in_service" -> u < 0.6 ? null : u < 0.8 ? cm.committee.id : grid.id;
            case "retired" -> u < 0.4 ? cm.committee.id : u < 0.8 ? grid.id : functional.id;
            case "mobile" -> u < 0.7 ? functional.id : cm.committee.id;
            default -> u < 0.5 ? cm.committee.id : grid.id;
        };
    }

    private Compound compoundByWeight(SplittableRandom r) {
        return compounds.get(Rng.cumulative(r, compoundCum));
    }

    private void rebuildIndexes() {
        compoundCum = new double[compounds.size()];
        double s = 0;
        for (int i = 0; i < compounds.size(); i++) compoundCum[i] = s += compounds.get(i).households;
        activeByCommunity.clear();
        microGridByCommunity.clear();
        activeMembers.clear();
        redNeighbor.clear();
        for (Member m : members) {
            if (!m.active()) continue;
            activeMembers.add(m);
            activeByCommunity.computeIfAbsent(m.comm.code, k -> new ArrayList<>()).add(m);
            if (m.hasRole("micro_grid")) microGridByCommunity.computeIfAbsent(m.comm.code, k -> new ArrayList<>()).add(m);
            if (m.hasRole("red_neighbor_leader")) redNeighbor.add(m);
        }
    }

    // ------------------------------------------------------------------ day by day

    private void evolve(LocalDate d) {
        SplittableRandom r = Rng.of(seed, code, d, "evolve");
        for (Compound c : compounds) {
            if (r.nextDouble() < 0.02) c.households = Math.max(60, c.households + r.nextInt(11) - 4);
            if (r.nextDouble() < 0.01) c.keyGroup = Math.max(0, Math.min(c.households, c.keyGroup + (r.nextBoolean() ? 1 : -1)));
            if (c.keyGroup > c.households) c.keyGroup = c.households;
            if (c.branch == null && r.nextDouble() < 0.015) {
                c.branch = newBranch(compoundBranchName(c), "compound", c.comm.code, c.id, d);
                for (Member m : members) {
                    if (m.compound == c && m.active() && !m.relationInCompound && r.nextDouble() < 0.3) {
                        m.relationInCompound = true;
                        m.branch = c.branch.id;
                    }
                }
            }
            if (c.company != null && r.nextDouble() < 0.0015 && companies.size() > 1) {
                Company next;
                do {
                    next = Rng.pick(r, companies);
                } while (next == c.company);
                c.company = next;
            } else if (c.company == null && r.nextDouble() < 0.004) {
                c.company = Rng.pick(r, companies);
            }
            if (!c.station && r.nextDouble() < 0.003) c.station = true;
            if (!c.ownersCommittee && r.nextDouble() < 0.002) {
                c.ownersCommittee = true;
                c.ownersCommitteeSize = 5 + r.nextInt(5);
            }
        }
        for (Company co : companies) {
            if (!co.partyOrg && r.nextDouble() < 0.003) {
                co.partyOrg = true;
                co.branch = newBranch(co.stem + "物业党支部", "property", companyHome.get(co).code, null, d);
            }
        }
        for (Branch b : branches) {
            if (b.active && b.type.equals("grid") && r.nextDouble() < 0.0005) b.active = false;
        }
        rebuildIndexes();
        for (Member m : members) {
            if (!m.active()) continue;
            double u = r.nextDouble();
            if (u < 0.0005) {
                Compound c = compoundByWeight(r);
                m.compound = c;
                m.comm = c.comm;
                if (m.relationInCompound && c.branch != null) {
                    m.branch = c.branch.id;
                } else {
                    m.relationInCompound = false;
                    m.branch = otherBranch(m, r);
                }
            } else if (u < 0.0008) {
                m.status = "transferred_out";
                m.statusSince = d;
            } else if (u < (m.category.equals("retired") ? 0.0012 : 0.0009)) {
                m.status = "deceased";
                m.statusSince = d;
            }
            if (m.active() && m.category.equals("in_service") && m.reportedAt == null && r.nextDouble() < 0.01) {
                m.reportedAt = d;
            }
        }
        members.removeIf(m -> m.status.equals("transferred_out") && m.statusSince.plusDays(10).isBefore(d));
        int joins = Rng.poisson(r, size.members() * 0.0004);
        for (int i = 0; i < joins; i++) {
            Member m = newMember(r, d);
            if (m.category.equals("in_service") && m.reportedAt != null) m.reportedAt = d;
            members.add(m);
        }
        rebuildIndexes();
    }

    private static double weekday(LocalDate d, double weekend) {
        DayOfWeek w = d.getDayOfWeek();
        return w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY ? weekend : 1.0;
    }

    private LocalDateTime timeOfDay(SplittableRandom r, LocalDate d) {
        return d.atTime(Rng.weighted(r, HOUR_W), r.nextInt(60), r.nextInt(60));
    }

    private List<LocalDateTime> times(SplittableRandom r, LocalDate d, int n) {
        LocalDateTime[] t = new LocalDateTime[n];
        for (int i = 0; i < n; i++) t[i] = timeOfDay(r, d);
        Arrays.sort(t);
        return Arrays.asList(t);
    }

    /** Share of cases first exported 1..LATE_MAX_DAYS nights after they were reported. */
    static final double LATE_FIRST_EXPORT = 0.04;
    static final int LATE_MAX_DAYS = 21;
    /** Probability that a district misses the last night of a month (its changes arrive the next night). */
    static final double MISSED_MONTH_END = 0.25;

    private void createCases(LocalDate d) {
        SplittableRandom r = Rng.of(seed, code, d, "cases");
        todaysDoorCases.clear();
        String ymd = ymd(d);
        int seq = 0;
        LocalDateTime endOfDay = d.atTime(23, 59, 59);
        for (LocalDateTime rep : times(r, d, Rng.poisson(r, size.casesPerDay() * weekday(d, 0.6)))) {
            Compound cp = r.nextDouble() < 0.10 ? null : compoundByWeight(r);
            Community cm = cp != null ? cp.comm : Rng.pick(r, communities);
            String category = CATEGORIES[Rng.weighted(r, categoryWeights)];
            boolean dispute = category.equals("neighbor_dispute") || category.equals("parking") && r.nextDouble() < 0.1;
            String source = SOURCES[Rng.weighted(r, SOURCE_W)];
            Company co = cp != null && cp.company != null && (category.equals("property_service")
                    || category.equals("elevator") || category.equals("facility_repair")) ? cp.company : null;
            Case c = new Case("GD" + code + ymd + pad(++seq, 5), cm.code, cp == null ? null : cp.id, source, category,
                    co == null ? null : co.id, dispute, Names.person(r), Names.phone(r), rep);
            LocalDateTime created = rep.plusMinutes(1 + r.nextInt(15)).plusSeconds(r.nextInt(60));
            c.updated = created.isAfter(endOfDay) ? endOfDay : created;
            plan(c, co != null && co.bad, r);
            // a share of cases reaches the export only days later (a back office entering them late, a
            // system that exports a case once it is closed); a separate stream, so the rest of the
            // district's data does not depend on it
            SplittableRandom lr = Rng.of(seed, code, d, "late:" + seq);
            if (lr.nextDouble() < LATE_FIRST_EXPORT) c.firstExport = d.plusDays(1 + lr.nextInt(LATE_MAX_DAYS));
            openCases.add(c);
            if (source.equals("door_visit") && cp != null) todaysDoorCases.add(c);
        }
    }

    private static void plan(Case c, boolean badCompany, SplittableRandom r) {
        LocalDate next = c.reported.toLocalDate().plusDays(1);
        if (r.nextDouble() < 0.03) {
            c.invalidAt = next.atTime(9 + r.nextInt(3), r.nextInt(60), r.nextInt(60));
            return;
        }
        c.dispatched = next.atTime(8 + r.nextInt(10), r.nextInt(60), r.nextInt(60));
        if (c.compound == null) c.level = r.nextDouble() < 0.7 ? "street" : "department";
        else c.level = new String[] {"community", "street", "department"}[Rng.weighted(r, new double[] {6, 3, 1})];
        int days = switch (c.level) {
            case "community" -> 3;
            case "street" -> 7;
            default -> 15;
        };
        c.due = c.reported.plusDays(days);
        c.inProgress = c.dispatched.plusMinutes(60 + r.nextInt(30 * 60));
        if (r.nextDouble() < 0.03) return; // never closed in the window
        double pLate = badCompany ? 0.45 : c.level.equals("department") ? 0.15 : 0.08;
        boolean late = r.nextDouble() < pLate;
        long allowed = Duration.between(c.reported, c.due).toMinutes();
        LocalDateTime cl = late ? c.due.plusMinutes((long) (allowed * (0.05 + 0.9 * r.nextDouble())))
                : c.reported.plusMinutes((long) (allowed * (0.15 + 0.8 * r.nextDouble())));
        cl = cl.withHour(8 + r.nextInt(12)).withMinute(r.nextInt(60)).withSecond(r.nextInt(60));
        LocalDateTime min = c.inProgress.plusMinutes(30 + r.nextInt(240));
        if (cl.isBefore(min)) cl = min;
        c.closed = cl;
        if (c.dispute) c.mediation = r.nextDouble() < 0.75 ? "success" : "fail";
        c.revisited = cl.toLocalDate().plusDays(1 + r.nextInt(3)).atTime(9 + r.nextInt(9), r.nextInt(60), r.nextInt(60));
        double u = r.nextDouble();
        boolean unhappy = badCompany || late || "fail".equals(c.mediation);
        if (u < 0.05) c.satisfaction = "unreachable";
        else if (u < (unhappy ? 0.40 : 0.70)) c.satisfaction = "satisfied";
        else if (u < (unhappy ? 0.70 : 0.95)) c.satisfaction = "basically_satisfied";
        else c.satisfaction = "dissatisfied";
    }

    private static final String[] VISITOR_ROLES = {"grid_worker", "micro_grid", "party_member", "cadre"};

    private List<Object[]> visits(LocalDate d) {
        SplittableRandom r = Rng.of(seed, code, d, "visits");
        Tbl t = tbl.get("visits");
        List<Case> closed = new ArrayList<>(recentlyClosed);
        String ymd = ymd(d);
        int seq = 0;
        List<Object[]> rows = new ArrayList<>();
        for (LocalDateTime at : times(r, d, Rng.poisson(r, size.visitsPerDay() * weekday(d, 0.7)))) {
            double u = r.nextDouble();
            Case link = null;
            String type = null;
            Compound cp = null;
            if (u < 0.12 && !closed.isEmpty()) {
                link = Rng.pick(r, closed);
                cp = compoundById.get(link.compound);
                type = "case_followup";
            } else if (u < 0.17 && !todaysDoorCases.isEmpty()) {
                link = Rng.pick(r, todaysDoorCases);
                cp = compoundById.get(link.compound);
                type = "needs_survey";
            }
            if (cp == null) {
                cp = compoundByWeight(r);
                link = null;
                type = null;
            }
            boolean keyTarget = r.nextDouble() < 0.12 && cp.keyGroup > 0;
            int hh = keyTarget ? r.nextInt(cp.keyGroup) : r.nextInt(cp.households);
            boolean keyGroup = hh < cp.keyGroup;
            if (type == null) {
                type = keyGroup ? (r.nextDouble() < 0.75 ? "key_group_care" : "needs_survey")
                        : (r.nextDouble() < 0.75 ? "needs_survey" : "safety_check");
            }
            String role = VISITOR_ROLES[Rng.weighted(r, new double[] {35, 25, 30, 10})];
            String visitor = null;
            if (role.equals("micro_grid")) {
                List<Member> l = microGridByCommunity.get(cp.comm.code);
                if (l != null) visitor = Rng.pick(r, l).id;
                else role = "party_member";
            }
            if (role.equals("party_member")) {
                List<Member> l = activeByCommunity.get(cp.comm.code);
                if (l != null) visitor = Rng.pick(r, l).id;
                else role = "grid_worker";
            }
            if (role.equals("grid_worker")) visitor = Rng.pick(r, cp.comm.gridWorkers);
            if (role.equals("cadre")) visitor = Rng.pick(r, cadres.get(cp.comm.street));
            int needs = Rng.weighted(r, new double[] {50, 30, 15, 5});
            if (link != null && type.equals("needs_survey") && needs == 0) needs = 1;
            Object[] row = t.row();
            t.set(row, "visit_id", "ZF" + code + ymd + pad(++seq, 5));
            t.set(row, "district_code", code);
            t.set(row, "community_code", cp.comm.code);
            t.set(row, "compound_id", cp.id);
            t.set(row, "household_id", cp.id + "H" + pad(hh, 4));
            t.set(row, "visitor_id", visitor);
            t.set(row, "visitor_role", role);
            t.set(row, "visited_at", at);
            t.set(row, "visit_type", type);
            t.set(row, "key_group", keyGroup);
            t.set(row, "needs_recorded", needs);
            t.set(row, "case_id", link == null ? null : link.id);
            rows.add(row);
        }
        return rows;
    }

    private static final String[] HOLDER_TYPES = {"party_member", "resident", "red_neighbor_leader", "volunteer"};
    private static final String[] AWARDS = {"volunteer_service", "policy_publicity", "dispute_mediation", "building_duty", "visit"};
    private static final double[] AWARD_W = {35, 15, 10, 20, 20};

    private List<Object[]> points(LocalDate d) {
        SplittableRandom r = Rng.of(seed, code, d, "points");
        Tbl t = tbl.get("points");
        String ymd = ymd(d);
        int seq = 0;
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> newTargets = new ArrayList<>();
        int iEntry = t.index("entry_id");
        int iPoints = t.index("points");
        for (LocalDateTime at : times(r, d, Rng.poisson(r, size.pointsPerDay() * weekday(d, 0.85)))) {
            Object[] row = t.row();
            String entryId = "JF" + code + ymd + pad(++seq, 6);
            if (r.nextDouble() < 0.01 && !reversalPool.isEmpty()) {
                Object[] target = reversalPool.remove(r.nextInt(reversalPool.size()));
                System.arraycopy(target, 0, row, 0, row.length);
                t.set(row, "entry_id", entryId);
                t.set(row, "points", ((BigDecimal) target[iPoints]).negate());
                t.set(row, "occurred_at", at);
                t.set(row, "approver_id", approver(r, (String) target[t.index("community_code")]));
                t.set(row, "reversal_of", target[iEntry]);
                rows.add(row);
                continue;
            }
            String type = HOLDER_TYPES[Rng.weighted(r, new double[] {45, 30, 10, 15})];
            String holder;
            String name;
            String community;
            String compound;
            Member m = null;
            if (type.equals("red_neighbor_leader")) {
                if (redNeighbor.isEmpty()) type = "party_member";
                else m = Rng.pick(r, redNeighbor);
            }
            if (type.equals("party_member")) m = Rng.pick(r, activeMembers);
            if (m != null) {
                holder = m.id;
                name = m.name;
                community = m.comm.code;
                compound = m.compound == null ? null : m.compound.id;
            } else {
                Compound cp = compoundByWeight(r);
                holder = "JM" + cp.id.substring(2) + pad(r.nextInt(cp.households), 4) + (1 + r.nextInt(3));
                name = Names.person(Rng.of(seed, code, "resident", holder));
                community = cp.comm.code;
                compound = cp.id;
            }
            String scheme = switch (type) {
                case "party_member" -> r.nextDouble() < 0.9 ? "pioneer_index" : "time_bank";
                case "resident" -> r.nextDouble() < 0.85 ? "civility" : "time_bank";
                case "volunteer" -> r.nextDouble() < 0.8 ? "time_bank" : "civility";
                default -> "red_neighbor";
            };
            boolean residentLike = type.equals("resident") || type.equals("volunteer");
            double u = r.nextDouble();
            String activity;
            long cents;
            if (u < 0.05) {
                activity = "deduction";
                cents = -100L * new int[] {1, 2, 3, 5}[r.nextInt(4)];
            } else if (u < 0.05 + (residentLike ? 0.12 : 0.03)) {
                activity = "redemption";
                cents = r.nextDouble() < 0.15 ? -1550 : -1000L * (1 + r.nextInt(5));
            } else {
                activity = AWARDS[Rng.weighted(r, AWARD_W)];
                cents = switch (activity) {
                    case "volunteer_service" -> 50L * (2 + r.nextInt(23));
                    case "policy_publicity" -> 100L * (1 + r.nextInt(2));
                    case "dispute_mediation" -> 500L * (1 + r.nextInt(2));
                    case "building_duty" -> 100L * (2 + r.nextInt(2));
                    default -> 100L * (1 + r.nextInt(2));
                };
            }
            t.set(row, "entry_id", entryId);
            t.set(row, "district_code", code);
            t.set(row, "community_code", community);
            t.set(row, "compound_id", compound);
            t.set(row, "holder_id", holder);
            t.set(row, "holder_type", type);
            t.set(row, "holder_name", name);
            t.set(row, "scheme", scheme);
            t.set(row, "activity", activity);
            t.set(row, "points", BigDecimal.valueOf(cents, 2));
            t.set(row, "occurred_at", at);
            t.set(row, "approver_id", approver(r, community));
            rows.add(row);
            if (cents > 0 && r.nextDouble() < 0.05) newTargets.add(row);
        }
        for (Object[] target : newTargets) {
            if (reversalPool.size() < 3000) reversalPool.add(target);
            else reversalPool.set(r.nextInt(reversalPool.size()), target);
        }
        return rows;
    }

    private String approver(SplittableRandom r, String community) {
        return Rng.pick(r, cadres.get(community.substring(0, 9)));
    }

    // ------------------------------------------------------------------ the night

    Night night(LocalDate d, int dayIndex) throws IOException {
        if (dayIndex > 0) evolve(d);
        LocalDateTime end = d.atTime(23, 59, 59);
        for (Case c : openCases) {
            if (c.advance(end)) {
                recentlyClosed.addLast(c);
                if (recentlyClosed.size() > 300) recentlyClosed.removeFirst();
            }
        }
        createCases(d);
        pendingVisits.addAll(visits(d));
        pendingPoints.addAll(points(d));
        // a missed night arrives with the next one; the last night of a month is missed more often, so the
        // month's books see closures that happened on a night no export carried
        double pMissed = d.plusDays(1).getDayOfMonth() == 1 ? MISSED_MONTH_END : 0.02;
        boolean missed = dayIndex >= 2 && !lastMissed && Rng.of(seed, code, d, "missed").nextDouble() < pMissed;
        lastMissed = missed;
        if (missed) return new Night(true, 0, 0);
        Night n = write(d, dayIndex);
        pendingVisits.clear();
        pendingPoints.clear();
        openCases.removeIf(c -> c.terminal() && !c.dirty);
        return n;
    }

    private BadRows.FileFaults faults(LocalDate d, int dayIndex) {
        BadRows.FileFaults ff = new BadRows.FileFaults();
        if (!bad.enabled()) return ff;
        if (p.index == 0 && dayIndex == 0) {
            ff.unknownEntity = true;
            ff.unreadableFile = "points";
            ff.unreadableMode = 0;
        } else if (p.index == 0 && dayIndex == 1) {
            ff.mismatchFile = "compounds";
            ff.mismatchMode = 0;
            ff.unreadableFile = "branches";
            ff.unreadableMode = 1;
        } else {
            SplittableRandom r = Rng.of(seed, code, d, "file-faults");
            double f = bad.fraction;
            ff.unknownEntity = r.nextDouble() < Math.min(0.3, 2 * f);
            if (p.manifest && r.nextDouble() < Math.min(0.3, 2 * f)) {
                ff.mismatchFile = Rng.pick(r, Schemas.ENTITIES);
                ff.mismatchMode = r.nextInt(2);
            }
            if (r.nextDouble() < Math.min(0.2, f)) {
                String e = Rng.pick(r, Schemas.ENTITIES);
                if (!e.equals(ff.mismatchFile)) {
                    ff.unreadableFile = e;
                    ff.unreadableMode = r.nextInt(2);
                }
            }
        }
        return ff;
    }

    private Night write(LocalDate d, int dayIndex) throws IOException {
        exportNight = d;
        Path dir = out.resolve(code).resolve(d.toString());
        Files.createDirectories(dir);
        if (p.index == 0 && bad.enabled()) bad.force(dayIndex);
        else {
            bad.forced.clear();
            bad.forcedIdentical.clear();
        }
        BadRows.FileFaults ff = faults(d, dayIndex);
        List<String[]> manifest = new ArrayList<>();
        int files = 0;
        long rows = 0;
        for (String e : Schemas.ENTITIES) {
            Tbl t = tbl.get(e);
            int[] order = p.order(e, t.n);
            boolean unreadable = e.equals(ff.unreadableFile);
            Path file = dir.resolve(e + ".csv");
            long badBefore = bad.badRecords;
            CsvOut csv = unreadable ? CsvOut.discard(p, order) : CsvOut.open(file, p, order);
            EntityOut eo = new EntityOut(t, csv, p, bad, Rng.of(seed, code, d, "bad:" + e), Rng.of(seed, code, d, "tz:" + e));
            try (eo) {
                eo.header();
                writeEntity(e, eo);
            }
            files++;
            if (unreadable) {
                bad.badRecords = badBefore;
                writeGarbage(file, ff.unreadableMode, Rng.of(seed, code, d, "garbage"));
            } else {
                rows += eo.rows();
                String rowsText = Long.toString(eo.rows());
                String sha = csv.sha256();
                if (e.equals(ff.mismatchFile)) {
                    if (ff.mismatchMode == 0) rowsText = Long.toString(eo.rows() + 1);
                    else sha = sha.substring(0, 63) + (sha.charAt(63) == '0' ? '1' : '0');
                } else {
                    eo.commitRing(Rng.of(seed, code, d, "ring:" + e));
                }
                manifest.add(new String[] {e + ".csv", rowsText, sha});
            }
        }
        if (ff.unknownEntity) {
            rows += writeComplaints(dir, d);
            files++;
        }
        if (p.manifest) {
            writeManifest(dir, d, manifest);
            files++;
        }
        return new Night(false, files, rows);
    }

    private void writeEntity(String e, EntityOut eo) throws IOException {
        Tbl t = eo.t;
        switch (e) {
            case "property_companies" -> {
                for (Company co : companies) {
                    Object[] row = t.row();
                    t.set(row, "company_id", co.id);
                    t.set(row, "district_code", code);
                    t.set(row, "name", co.name);
                    t.set(row, "has_party_org", co.partyOrg);
                    t.set(row, "credit_code", co.credit);
                    eo.write(row);
                }
            }
            case "branches" -> {
                for (Branch b : branches) {
                    Object[] row = t.row();
                    t.set(row, "branch_id", b.id);
                    t.set(row, "district_code", code);
                    t.set(row, "name", b.name);
                    t.set(row, "type", b.type);
                    t.set(row, "community_code", b.community);
                    t.set(row, "compound_id", b.compound);
                    t.set(row, "established_on", b.established);
                    t.set(row, "active", b.active);
                    eo.write(row);
                }
            }
            case "compounds" -> {
                for (Compound c : compounds) {
                    Object[] row = t.row();
                    t.set(row, "compound_id", c.id);
                    t.set(row, "district_code", code);
                    t.set(row, "street_code", c.comm.street);
                    t.set(row, "community_code", c.comm.code);
                    t.set(row, "name", c.name);
                    t.set(row, "households", c.households);
                    t.set(row, "key_group_households", c.keyGroup);
                    t.set(row, "buildings", c.buildings);
                    t.set(row, "property_company_id", c.company == null ? null : c.company.id);
                    t.set(row, "owners_committee", c.ownersCommittee);
                    t.set(row, "owners_committee_size", c.ownersCommitteeSize);
                    t.set(row, "branch_id", c.branch == null ? null : c.branch.id);
                    t.set(row, "station", c.station);
                    eo.write(row);
                }
            }
            case "members" -> {
                for (Member m : members) {
                    Object[] row = t.row();
                    t.set(row, "member_id", m.id);
                    t.set(row, "district_code", code);
                    t.set(row, "name", m.name);
                    t.set(row, "id_number", m.idNumber);
                    t.set(row, "branch_id", m.branch);
                    t.set(row, "community_code", m.comm.code);
                    t.set(row, "compound_id", m.compound == null ? null : m.compound.id);
                    t.set(row, "category", m.category);
                    t.set(row, "relation_in_compound", m.relationInCompound);
                    t.set(row, "reported_at", m.reportedAt);
                    t.set(row, "roles", m.roles);
                    t.set(row, "status", m.status);
                    eo.write(row);
                }
            }
            case "cases" -> {
                for (Case c : openCases) {
                    if (!c.dirty || c.firstExport != null && exportNight.isBefore(c.firstExport)) continue;
                    c.dirty = false;
                    eo.write(caseRow(t, c));
                }
            }
            case "visits" -> {
                for (Object[] row : pendingVisits) eo.write(row);
            }
            case "points" -> {
                for (Object[] row : pendingPoints) eo.write(row);
            }
            default -> throw new IllegalStateException(e);
        }
    }

    private Object[] caseRow(Tbl t, Case c) {
        Object[] row = t.row();
        boolean dispatched = c.stage >= 1 && c.stage != 5;
        boolean closed = c.stage == 3 || c.stage == 4;
        t.set(row, "case_id", c.id);
        t.set(row, "district_code", code);
        t.set(row, "community_code", c.community);
        t.set(row, "compound_id", c.compound);
        t.set(row, "source", c.source);
        t.set(row, "category", c.category);
        t.set(row, "property_company_id", c.company);
        t.set(row, "reported_at", c.reported);
        t.set(row, "dispatch_level", dispatched ? c.level : null);
        t.set(row, "due_at", dispatched ? c.due : null);
        t.set(row, "closed_at", closed ? c.closed : null);
        t.set(row, "status", Case.STATUS[c.stage]);
        t.set(row, "revisited_at", c.stage == 4 ? c.revisited : null);
        t.set(row, "satisfaction", c.stage == 4 ? c.satisfaction : null);
        t.set(row, "is_dispute", c.dispute);
        t.set(row, "mediation_result", closed ? c.mediation : null);
        t.set(row, "reporter_name", c.reporterName);
        t.set(row, "reporter_phone", c.reporterPhone);
        t.set(row, "updated_at", c.updated);
        return row;
    }

    private static void writeGarbage(Path file, int mode, SplittableRandom r) throws IOException {
        if (mode == 0) {
            Files.write(file, new byte[0]);
            return;
        }
        byte[] b = new byte[2048 + r.nextInt(2048)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) r.nextInt(256);
        b[0] = 'P';
        b[1] = 'K';
        b[2] = 3;
        b[3] = 4;
        b[4] = 0;
        b[5] = 0;
        Files.write(file, b);
    }

    /** An export of an entity the contract does not know (rejected as unknown_entity); carries personal data. */
    private long writeComplaints(Path dir, LocalDate d) throws IOException {
        SplittableRandom r = Rng.of(seed, code, d, "complaints");
        String[] header = p.headers == DistrictProfile.Headers.ENGLISH
                ? new String[] {"complaint_id", "district_code", "complainant", "phone", "content", "submitted_at"}
                : new String[] {"投诉编号", "区县代码", "投诉人", "联系电话", "投诉内容", "投诉时间"};
        try (CsvOut csv = CsvOut.open(dir.resolve("complaints.csv"), p, new int[] {0, 1, 2, 3, 4, 5})) {
            csv.header(header);
            int n = 3 + r.nextInt(10);
            for (int i = 1; i <= n; i++) {
                csv.record(new String[] {"TS" + code + ymd(d) + pad(i, 4), code, Names.person(r), Names.phone(r),
                        Rng.pick(r, Names.COMPLAINT_TEXTS), p.ts(timeOfDay(r, d), false)});
            }
            return n;
        }
    }

    private void writeManifest(Path dir, LocalDate d, List<String[]> files) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"district_code\": \"").append(code).append("\",\n");
        b.append("  \"export_date\": \"").append(d).append("\",\n");
        b.append("  \"files\": {");
        for (int i = 0; i < files.size(); i++) {
            String[] f = files.get(i);
            b.append(i == 0 ? "\n" : ",\n");
            b.append("    \"").append(f[0]).append("\": {\"rows\": ").append(f[1])
             .append(", \"sha256\": \"").append(f[2]).append("\"}");
        }
        b.append("\n  }");
        if (p.declareEncoding) b.append(",\n  \"encoding\": \"GBK\"");
        b.append("\n}\n");
        try (OutputStream o = Files.newOutputStream(dir.resolve("manifest.json"))) {
            o.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------ helpers

    static String pad(int v, int width) {
        String s = Integer.toString(v);
        if (s.length() >= width) return s;
        StringBuilder b = new StringBuilder(width);
        for (int i = s.length(); i < width; i++) b.append('0');
        return b.append(s).toString();
    }

    private static String ymd(LocalDate d) {
        return d.getYear() + pad(d.getMonthValue(), 2) + pad(d.getDayOfMonth(), 2);
    }
}
