package org.govind.generate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** The evolving state of one district (mutable, kept across nights). */
final class World {
    private World() {}

    static final class Community {
        final String code;
        final String street;
        final String name;
        final List<Compound> compounds = new ArrayList<>();
        Branch committee;
        final List<Branch> grids = new ArrayList<>();
        Branch functional;
        /** staff ids of the community's full-time grid workers */
        final List<String> gridWorkers = new ArrayList<>();

        Community(String code, String street, String name) {
            this.code = code;
            this.street = street;
            this.name = name;
        }
    }

    static final class Compound {
        final String id;
        final Community comm;
        final String name;
        int households;
        int keyGroup;
        int buildings;
        Company company;
        boolean ownersCommittee;
        int ownersCommitteeSize;
        Branch branch;
        boolean station;

        Compound(String id, Community comm, String name) {
            this.id = id;
            this.comm = comm;
            this.name = name;
        }
    }

    static final class Company {
        final String id;
        final String stem;
        final String name;
        final String credit;
        final boolean bad;
        boolean partyOrg;
        Branch branch;

        Company(String id, String stem, String name, String credit, boolean bad) {
            this.id = id;
            this.stem = stem;
            this.name = name;
            this.credit = credit;
            this.bad = bad;
        }
    }

    static final class Branch {
        final String id;
        final String name;
        final String type;
        final String community;
        final String compound;
        final LocalDate established;
        boolean active = true;

        Branch(String id, String name, String type, String community, String compound, LocalDate established) {
            this.id = id;
            this.name = name;
            this.type = type;
            this.community = community;
            this.compound = compound;
            this.established = established;
        }
    }

    static final class Member {
        final String id;
        final String name;
        final String idNumber;
        final String category;
        String branch;
        Community comm;
        Compound compound;
        boolean relationInCompound;
        LocalDate reportedAt;
        String roles;
        String status = "active";
        LocalDate statusSince;

        Member(String id, String name, String idNumber, String category) {
            this.id = id;
            this.name = name;
            this.idNumber = idNumber;
            this.category = category;
        }

        boolean active() {
            return "active".equals(status);
        }

        boolean hasRole(String role) {
            return roles != null && (";" + roles + ";").contains(";" + role + ";");
        }
    }

    /** A case with its whole planned timeline; {@link #advance} moves the exported state forward. */
    static final class Case {
        static final String[] STATUS = {"received", "dispatched", "in_progress", "closed", "revisited", "invalid"};
        final String id;
        final String community;
        final String compound;
        final String source;
        final String category;
        final String company;
        final boolean dispute;
        final String reporterName;
        final String reporterPhone;
        final LocalDateTime reported;
        LocalDateTime created;
        LocalDateTime invalidAt;
        LocalDateTime dispatched;
        String level;
        LocalDateTime due;
        LocalDateTime inProgress;
        LocalDateTime closed;
        LocalDateTime revisited;
        String satisfaction;
        String mediation;
        int stage;
        LocalDateTime updated;
        boolean dirty = true;
        /** The first export night that may carry the case (null: the night it is reported); a late first export. */
        LocalDate firstExport;

        Case(String id, String community, String compound, String source, String category, String company,
             boolean dispute, String reporterName, String reporterPhone, LocalDateTime reported) {
            this.id = id;
            this.community = community;
            this.compound = compound;
            this.source = source;
            this.category = category;
            this.company = company;
            this.dispute = dispute;
            this.reporterName = reporterName;
            this.reporterPhone = reporterPhone;
            this.reported = reported;
        }

        /** Applies every transition up to {@code end}; returns true when the case just reached "closed". */
        boolean advance(LocalDateTime end) {
            int st = stage;
            LocalDateTime upd = updated;
            boolean justClosed = false;
            if (invalidAt != null) {
                if (st < 5 && !invalidAt.isAfter(end)) {
                    st = 5;
                    upd = invalidAt;
                }
            } else {
                if (st < 1 && !dispatched.isAfter(end)) {
                    st = 1;
                    upd = dispatched;
                }
                if (st == 1 && !inProgress.isAfter(end)) {
                    st = 2;
                    upd = inProgress;
                }
                if (st == 2 && closed != null && !closed.isAfter(end)) {
                    st = 3;
                    upd = closed;
                    justClosed = true;
                }
                if (st == 3 && revisited != null && !revisited.isAfter(end)) {
                    st = 4;
                    upd = revisited;
                }
            }
            if (st != stage) {
                stage = st;
                updated = upd;
                dirty = true;
            }
            return justClosed;
        }

        boolean terminal() {
            return stage == 4 || stage == 5;
        }
    }
}
