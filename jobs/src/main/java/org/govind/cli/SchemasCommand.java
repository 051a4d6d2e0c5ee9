package org.govind.cli;

import org.govind.core.Lang;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.govind.schema.DataDictionary;
import org.govind.schema.Schemas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "schemas", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class SchemasCommand implements Callable<Integer> {
    @Option(names = "--write-dictionary", descriptionKey = "writeDictionary", paramLabel = "FILE", arity = "0..1",
            fallbackValue = "schemas/DATA_DICTIONARY.md")
    Path out;

    @Override
    public Integer call() throws Exception {
        String md = DataDictionary.render(Schemas.get());
        if (out == null) {
            System.out.print(md);
        } else {
            Files.writeString(out, md, StandardCharsets.UTF_8);
            System.out.println(Lang.t("已写入 ", "wrote ") + out);
        }
        return 0;
    }
}
