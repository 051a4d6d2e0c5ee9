package org.govind.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SchemasTest {
    /** Regenerate with: mvn -pl schemas test -Dgovind.regen=true */
    @Test
    void dataDictionaryIsCurrent() throws Exception {
        Path file = Path.of("DATA_DICTIONARY.md");
        String expected = DataDictionary.render(Schemas.get());
        if (Boolean.getBoolean("govind.regen")) Files.writeString(file, expected, StandardCharsets.UTF_8);
        assertTrue(Files.exists(file), "schemas/DATA_DICTIONARY.md missing: run mvn -pl schemas test -Dgovind.regen=true");
        assertEquals(expected, Files.readString(file, StandardCharsets.UTF_8),
                "schemas/DATA_DICTIONARY.md is stale: run mvn -pl schemas test -Dgovind.regen=true");
    }

    @Test
    void indexListsEveryTableFile() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.walk(Path.of("tables"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("index.yaml"))
                    .map(p -> Path.of("tables").relativize(p).toString().replace(".yaml", "").replace('\\', '/'))
                    .sorted().collect(Collectors.toList());
        }
        assertEquals(files, Schemas.get().ids().stream().sorted().toList());
    }

    @Test
    void everyLandingEntityHasKeysAliasesAndPersonalDataClasses() {
        for (String e : Schemas.ENTITIES) {
            TableDef t = Schemas.get().landing(e);
            assertEquals("district_code", t.key().get(0), e);
            for (ColumnDef c : t.columns()) assertTrue(c.alias() != null && !c.alias().isBlank(), e + "." + c.name() + " has no alias");
        }
        assertEquals(Pii.HASH, Schemas.get().landing("members").require("id_number").pii());
        assertEquals(Pii.MASK_PHONE, Schemas.get().landing("cases").require("reporter_phone").pii());
        // bronze = landing + lineage; silver snapshots = landing + SCD2 columns
        assertEquals(Schemas.get().landing("cases").columns().size() + 5, Schemas.get().table("bronze.cases").columns().size());
        assertTrue(Schemas.get().table("silver.members").column("valid_to").isPresent());
    }

    @Test
    void entityAndSnapshotListsComeFromTheYaml() {
        // index.yaml lists seven landing entities; four landing files say kind: snapshot
        assertEquals(List.of("property_companies", "branches", "compounds", "members", "cases", "visits", "points"), Schemas.ENTITIES);
        assertEquals(List.of("property_companies", "branches", "compounds", "members"), Schemas.SNAPSHOTS);
        assertEquals("versioned", Schemas.get().kind("cases"));
        assertEquals("immutable", Schemas.get().kind("points"));
        // every snapshot has an SCD2 silver table (valid_from/valid_to); no event table does
        for (String e : Schemas.ENTITIES)
            assertEquals(Schemas.SNAPSHOTS.contains(e), Schemas.get().table("silver." + e).column("valid_to").isPresent(), e);
    }

    @Test
    void enumLabelsMapToCodesOnlyWhereAccepted() {
        ColumnDef sat = Schemas.get().landing("cases").require("satisfaction");
        assertEquals("satisfied", sat.enumCode("满意"));
        assertEquals(null, Schemas.get().landing("cases").require("status").enumCode("无效/重复件"));
    }
}
